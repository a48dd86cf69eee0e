// swift-tools-version: 6.0
import PackageDescription

// libFuzzer targets for BounceMatch. Build with ./build.sh (it passes -sanitize=fuzzer,address and
// -parse-as-library to every Swift module); see docs/FUZZING.md.
let targets = ["FuzzRegexParser", "FuzzRuleFormats", "FuzzReplyParser", "FuzzDifferential"]

let package = Package(
    name: "BounceMatchFuzzTesting",
    dependencies: [.package(name: "BounceMatch", path: "..")],
    targets: targets.map { name in
        .executableTarget(name: name, dependencies: [.product(name: "BounceMatch", package: "BounceMatch")])
    },
    swiftLanguageModes: [.v6]
)
