import BounceMatch
import Testing
import TestSupport

/// Every input a fuzzer ever broke the project with (`Tests/Fixtures/fuzz-regressions/<target>-<what>`),
/// replayed through the same target code; each must now pass.
@Suite struct FuzzRegressionTests {
    static let directory = SharedCorpora.packageRoot + "/Tests/Fixtures/fuzz-regressions"

    static func files() -> [String] {
        guard let d = opendir(directory) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix("."), name != "README.md" { out.append(name) }
        }
        return out.sorted()
    }

    @Test func everySavedInputPasses() {
        let names = Self.files()
        #expect(!names.isEmpty, "no regression inputs in \(Self.directory)")
        for name in names {
            guard let target = FuzzTargets.all.first(where: { name.hasPrefix($0.name + "-") }) else {
                Issue.record("\(name): the file name does not start with a target name (\(FuzzTargets.all.map(\.name)))")
                continue
            }
            guard let bytes = SharedCorpora.readFile(Self.directory + "/" + name) else {
                Issue.record("\(name): unreadable")
                continue
            }
            let problem = target.run(bytes)
            #expect(problem == nil, "\(name): \(problem ?? "")")
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
