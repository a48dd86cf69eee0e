import Benchmark
import BenchSupport
import BounceMatch

/// Compile time of 10,000 rules per backend (substring-only and mixed): what a reload costs.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(5),
        maxIterations: 10,
        thresholds: [.wallClock: .init(relative: [.p50: 15])]
    )
    for mix in CorpusGenerator.RuleMix.allCases {
        for backend in Backends.all {
            Benchmark("compile \(backend.name) | \(mix.rawValue)-10000") { benchmark, rules in
                for _ in benchmark.scaledIterations {
                    do { blackHole(try backend.make(rules, MatcherOptions())) } catch {
                        benchmark.error("\(backend.name) cannot compile \(mix.rawValue)-10000: \(error)")
                    }
                }
            } setup: {
                try BenchCases.generatedRules(count: 10_000, mix: mix)
            }
        }
    }
}
