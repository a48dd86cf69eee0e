import BounceMatch
import Testing
import TestSupport

/// Every backend against `naive` on every rules file in ../shared/corpora with every replies file there,
/// case-insensitive and case-sensitive. Zero disagreements is the bar.
@Suite("Differential: shared corpora")
struct DifferentialSharedCorporaTests {
    static let ruleFiles: [String] = SharedCorpora.ruleFiles()

    static let allReplies: [Reply] = SharedCorpora.replyFiles().flatMap(Differential.replies(fromTSV:))

    @Test("shared corpora are present (or loudly skipped)")
    func corporaPresent() {
        guard SharedCorpora.root != nil else {
            SharedCorpora.announceMissing("Differential: shared corpora")
            return
        }
        #expect(Self.ruleFiles.count >= 10)
        #expect(Self.allReplies.count >= 1_500)
    }

    @Test("every backend agrees with naive", arguments: [false, true])
    func everyRuleFileEveryReplyFile(caseSensitive: Bool) throws {
        guard SharedCorpora.root != nil else {
            SharedCorpora.announceMissing("Differential: shared corpora (caseSensitive: \(caseSensitive))")
            return
        }
        var options = LoadOptions()
        options.caseSensitive = caseSensitive
        for file in Self.ruleFiles {
            let ruleSet = try RuleLoader.load(files: [file], options: options)
            #expect(ruleSet.count > 0, "\(file) loaded no rules")
            let problems = Differential.disagreements(
                ruleSet, replies: Self.allReplies, label: "\(file) caseSensitive=\(caseSensitive)")
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
    }
}
