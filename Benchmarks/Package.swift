// swift-tools-version: 6.1
import PackageDescription

// The benchmark suite, kept in its own package so that package-benchmark and its malloc interposer never
// become dependencies of the library. Run from this folder: `swift package benchmark` (docs/PERFORMANCE.md).
let package = Package(
    name: "BounceMatchBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "BounceMatch", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The C loops a user would write without this package: hs_scan and pcre2_match called directly.
        .target(
            name: "CBaselines",
            path: "Sources/CBaselines",
            linkerSettings: [.linkedLibrary("hs"), .linkedLibrary("pcre2-8")]
        ),
        // Inputs shared by every suite: generated and real rule sets, reply streams, the prepared matchers.
        .target(
            name: "BenchSupport",
            dependencies: ["CBaselines", .product(name: "BounceMatch", package: "BounceMatch")],
            path: "Sources/BenchSupport"
        ),
        .executableTarget(
            name: "BackendThroughput",
            dependencies: [
                "BenchSupport",
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "BackendThroughput",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "Compile",
            dependencies: [
                "BenchSupport",
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Compile",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "Classify",
            dependencies: [
                "BenchSupport",
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Classify",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "Baselines",
            dependencies: [
                "BenchSupport",
                "CBaselines",
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Baselines",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
