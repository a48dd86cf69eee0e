// swift-tools-version: 6.0
import PackageDescription

// Layout (see docs/ARCHITECTURE.md):
//   RegexSyntax   the project's parser, AST, printers and literal extraction for the regex dialect
//   BounceRules   rules, rule sets, replies, conditions and the rule-file formats
//   Matching      the Matcher protocol, the naive reference engine and Aho-Corasick
//   CPCRE2/CHyperscan  system-library shims only
//   PCRE2Matcher/HyperscanMatcher  one C-backed backend each
//   BounceMatch   the library product: backend registry, explanations, corpus generator
//   BounceMatchCLI  the `bouncematch` executable, thin subcommands
let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "BounceMatch",
    products: [
        .library(name: "BounceMatch", targets: ["BounceMatch"]),
        .executable(name: "bouncematch", targets: ["BounceMatchCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        .target(name: "RegexSyntax", swiftSettings: strictSwift),
        .target(
            name: "BounceRules",
            dependencies: ["RegexSyntax", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSwift
        ),
        .target(name: "Matching", dependencies: ["BounceRules", "RegexSyntax"], swiftSettings: strictSwift),
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .systemLibrary(
            name: "CHyperscan",
            pkgConfig: "libhs",
            providers: [.apt(["libhyperscan-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // CPU features with no Swift spelling (prefetch, SSE2 byte classes), inlined from a C header.
        .target(name: "CCPU"),
        .target(name: "PCRE2Matcher", dependencies: ["Matching", "CPCRE2"], swiftSettings: strictSwift),
        .target(
            name: "HyperscanMatcher",
            dependencies: ["Matching", "CHyperscan", "PCRE2Matcher"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "BounceMatch",
            dependencies: ["RegexSyntax", "BounceRules", "Matching", "PCRE2Matcher", "HyperscanMatcher", "CZlib", "CCPU"],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "BounceMatchCLI",
            dependencies: ["BounceMatch", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "RegexSyntaxTests", dependencies: ["RegexSyntax", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "BounceRulesTests", dependencies: ["BounceRules", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "MatchingTests", dependencies: ["BounceMatch", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "CLITests", dependencies: ["BounceMatch", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "PropertyTests", dependencies: ["BounceMatch", "TestSupport", "CPCRE2"], swiftSettings: strictSwift),
        .target(name: "TestSupport", dependencies: ["BounceMatch"], path: "Tests/TestSupport", swiftSettings: strictSwift),
    ],
    swiftLanguageModes: [.v6]
)
