import BounceMatch
import HyperscanMatcher
import PCRE2Matcher
import TestSupport
import Testing

/// The C-backed backends agree with the naive reference on every real rule file × every real reply of
/// `../shared/corpora`, and PCRE2 (compiling the original sources) accepts every regex the parser accepts.
@Suite("C-backed backends on the shared corpora")
struct PCRE2CorpusCrossCheckTests {
    @Test func backendsAgreeOnCorpora() throws {
        guard SharedCorpora.root != nil else {
            SharedCorpora.announceMissing("PCRE2CorpusCrossCheckTests.backendsAgreeOnCorpora")
            return
        }
        var replies: [Reply] = []
        for file in SharedCorpora.replyFiles() {
            let kumo = file.contains("/kumomta/")
            for row in SharedCorpora.readTSV(file).rows where !row.isEmpty {
                replies.append(Reply(parsing: kumo ? SharedCorpora.unescapeKumo(row[0]) : row[0]))
            }
        }
        #expect(replies.count > 1000)
        var checkedFiles = 0
        for file in SharedCorpora.ruleFiles() {
            let set: RuleSet
            do {
                set = try RuleLoader.load(files: [file])
            } catch {
                // Loading is the loader's business (its own tests); here only loadable sets are compared.
                print("PCRE2CorpusCrossCheckTests: \(file) does not load: \(error.errors.first.map(\.description) ?? "")")
                continue
            }
            let matchers: [any Matcher] = [
                NaiveMatcher(ruleSet: set), try PCRE2Matcher(ruleSet: set), try PCRE2PrefilteredMatcher(ruleSet: set),
                try HyperscanMatcher(ruleSet: set),
            ]
            let scratches = matchers.map { $0.makeScratch() }
            for reply in replies {
                let answers = zip(matchers, scratches).map { $0.firstMatch(reply, scratch: $1) }
                guard answers.allSatisfy(\.isDecided) else { continue }
                #expect(Set(answers).count == 1, "\(file): \(String(decoding: reply.line, as: UTF8.self)): \(answers)")
            }
            checkedFiles += 1
        }
        #expect(checkedFiles > 5)
    }
}
