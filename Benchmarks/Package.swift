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
        suite("BackendThroughput"),
        suite("Compile"),
        suite("Classify"),
        suite("Baselines", extra: ["CBaselines"]),
    ],
    swiftLanguageModes: [.v6]
)

/// One package-benchmark suite: an executable target in the folder of its name, run by the plugin.
func suite(_ name: String, extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["BenchSupport"] + extra + [.product(name: "Benchmark", package: "package-benchmark")],
        path: name,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    )
}
