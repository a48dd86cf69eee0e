import Benchmark
import BenchSupport
import BounceMatch

/// Every registered backend × every case (see `BenchCases.throughputCases`). One iteration matches 1,000
/// replies (the scaling factor), so `throughput` reads as replies/s; `MB/s` is measured in the same
/// iteration. Only `firstMatch` runs in the measured loop: loading, compiling, the correctness check
/// against the reference and the scratch's warm-up all happen in `setup`.
let benchmarks: @Sendable () -> Void = {
    BenchCases.announceMissingCorpora()
    let megabytesPerSecond = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, .peakMemoryResident, megabytesPerSecond],
        timeUnits: .microseconds,
        warmupIterations: 20,
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 100_000,
        thresholds: [
            // 0 mallocs per reply: against a baseline of 0, any allocation is a regression.
            .mallocCountTotal: .init(absolute: [.p0: 0, .p25: 0, .p50: 0, .p75: 0, .p90: 0, .p99: 0, .p100: 0]),
            .throughput: .init(relative: [.p25: 10, .p50: 10]),
            .peakMemoryResident: .init(relative: [.p50: 20]),
        ]
    )
    for benchCase in BenchCases.throughputCases() {
        for backend in Backends.all {
            Benchmark("\(backend.name) | \(benchCase.name)") { benchmark, run in
                let t0 = BenchSystem.now()
                blackHole(run.run(count: benchmark.configuration.scalingFactor.rawValue))
                let dt = BenchSystem.now() - t0
                let mb = run.bytesPerReply * Double(benchmark.configuration.scalingFactor.rawValue) / max(dt, 1e-9) / 1e6
                benchmark.measurement(megabytesPerSecond, Int(mb.rounded()))
            } setup: {
                try PreparedRun.prepare(backend, benchCase)
            }
        }
    }
}
