import Benchmark
import BenchSupport
import BounceMatch
import CBaselines

/// What the backends are measured against, in the same run and on the same bytes:
/// - `C hs_scan` and `C pcre2_match`: the loop a C user writes over the same printed patterns, beside the
///   `hyperscan` and `pcre2` backends on the same case (the Swift layer's cost is the difference);
/// - `Swift String.contains` over `lowercased()` text, and Swift `Regex`: what a Swift user writes without
///   this package (small sets only; they allocate per reply, which is part of the point);
/// - `memchr`: one pass over the same bytes, the memory-bandwidth floor.
/// Every baseline's answers are checked against the naive reference in setup; one that differs gets no figure.
let benchmarks: @Sendable () -> Void = {
    let megabytesPerSecond = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, .peakMemoryResident, megabytesPerSecond],
        timeUnits: .microseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 100_000,
        thresholds: [.throughput: .init(relative: [.p50: 10])]
    )

    /// Registers one baseline: `make` builds the loop in setup (returning a closure over `count` replies
    /// from a cursor), timed like the throughput suite.
    func register(_ name: String, _ make: @escaping @Sendable () throws -> BaselineLoop) {
        Benchmark(name) { benchmark, loop in
            let t0 = BenchSystem.now()
            blackHole(loop.run(benchmark.configuration.scalingFactor.rawValue))
            let dt = BenchSystem.now() - t0
            benchmark.measurement(megabytesPerSecond, Int((loop.bytesPerReply * Double(benchmark.configuration.scalingFactor.rawValue) / max(dt, 1e-9) / 1e6).rounded()))
        } setup: {
            try make()
        }
    }

    let hsCase = BenchCases.generated(3_000, .substring)
    let pcreCase = BenchCases.generated(100, .substring)
    for backend in ["hyperscan", "pcre2"] {
        guard let d = Backends.named(backend) else { continue }
        let c = backend == "hyperscan" ? hsCase : pcreCase
        register("\(backend) | \(c.name)") { try BaselineLoop(backend: d, c) }
    }
    register("C hs_scan | \(hsCase.name)") { try BaselineLoop.hyperscanC(hsCase) }
    register("C pcre2_match | \(pcreCase.name)") { try BaselineLoop.pcre2C(pcreCase) }
    register("memchr floor | generated replies") { try BaselineLoop.memchrFloor(hsCase) }
    register("Swift String.contains lowercased | \(pcreCase.name)") { try BaselineLoop.stringContains(pcreCase) }
    register("Swift Regex | regex-10 × generated replies") { try BaselineLoop.swiftRegex(ruleCount: 10) }
}
