#if canImport(Glibc)
import Glibc
#endif
import BounceRules
import Matching
import RegexSyntax

/// The bodies of the libFuzzer targets (`FuzzTesting/`), in the library so that the regression test replays
/// saved inputs through exactly the same code. Each returns nil when the input is handled correctly, or a
/// description of the broken property; a crash or hang is found by the fuzzer itself.
public enum FuzzTargets {
    /// Every target, by the name `FuzzTesting/build.sh` and `Tests/Fixtures/fuzz-regressions/<name>-*` use.
    public static let all: [(name: String, run: @Sendable ([UInt8]) -> String?)] = [
        ("regex-parser", regexParser), ("rule-formats", ruleFormats), ("reply-parser", replyParser),
        ("differential", differential),
    ]

    public static func named(_ name: String) -> (@Sendable ([UInt8]) -> String?)? {
        all.first { $0.name == name }?.run
    }

    /// The input as a pattern (first byte: option bits). A parsed pattern must print to text that parses to
    /// the same AST, its columns must lie in the pattern, and the naive engine must compile it.
    @Sendable public static func regexParser(_ data: [UInt8]) -> String? {
        guard let flags = data.first else { return nil }
        let source = Array(data.dropFirst())
        let options = RegexOptions(
            caseInsensitive: flags & 1 != 0, dotAll: flags & 2 != 0, multiline: flags & 4 != 0, extended: flags & 8 != 0
        )
        let pattern: RegexPattern
        do { pattern = try RegexParser.parse(source, options: options) } catch {
            return error.column >= 1 && error.column <= source.count + 1 ? nil : "error column \(error.column) outside a pattern of \(source.count) bytes"
        }
        for use in pattern.pcreOnly where use.column < 1 || use.column > source.count + 1 {
            return "PCRE-only use at column \(use.column) outside the pattern"
        }
        let printed = pattern.printed(for: .pcre2)
        let again: RegexPattern
        do { again = try RegexParser.parse(printed, options: RegexOptions()) } catch {
            return "printed form \(FuzzText.escaped(printed)) does not parse: \(error)"
        }
        if !pattern.root.containsOpaque {
            // The printed text must mean the same: both ASTs give the same span on a few subjects.
            let a = NaiveRegex(pattern), b = NaiveRegex(again)
            var rng = FuzzRandom(bytes: data)
            var subjects = [Array(source.prefix(64)), []]
            if let s = pattern.root.sampleMatch(using: &rng) { subjects.append(Array(s.prefix(256))) }
            for s in subjects {
                let x = a.firstMatchSpan(in: s, budget: 100_000), y = b.firstMatchSpan(in: s, budget: 100_000)
                if x != y && x != .budgetExhausted && y != .budgetExhausted {
                    return "printed form \(FuzzText.escaped(printed)) finds \(y), the pattern \(x) in \(FuzzText.escaped(s))"
                }
            }
        }
        _ = pattern.root.requiredLiterals
        return nil
    }

    /// First byte picks a format of `RuleFormats.all`; the rest is the file. Every format returns rules or
    /// errors with real positions; building a rule set from the rules either works or lists errors.
    @Sendable public static func ruleFormats(_ data: [UInt8]) -> String? {
        guard let pick = data.first else { return nil }
        let format = RuleFormats.all[Int(pick) % RuleFormats.all.count]
        let contents = format.parseFile(Array(data.dropFirst()), file: "fuzz", options: LoadOptions())
        for e in contents.errors where e.location.line < 1 || e.location.column < 1 || e.reason.isEmpty {
            return "\(format.name): error without a position or reason: \(e)"
        }
        for r in contents.rules where r.location.line < 1 || r.patternLocation.column < 1 {
            return "\(format.name): rule without a position: \(r.location)"
        }
        if let set = try? RuleSet(rules: contents.rules) {
            let m = NaiveMatcher(ruleSet: set)
            _ = m.firstMatch(Reply(parsing: Array("550 5.1.1 user unknown".utf8)), scratch: m.makeScratch())
        }
        return nil
    }

    /// The input as raw reply bytes: the normalized line is never longer than the input, holds no CR or LF
    /// or TAB, its text start lies inside it, and refilling a used reply gives the same result as a fresh one.
    @Sendable public static func replyParser(_ data: [UInt8]) -> String? {
        let fresh = Reply(parsing: data)
        if fresh.line.count > data.count { return "line longer than the input" }
        if fresh.textStart < 0 || fresh.textStart > fresh.line.count { return "textStart \(fresh.textStart) outside the line" }
        if fresh.line.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return "CR, LF or TAB left in the line" }
        if let c = fresh.code, !(100...999).contains(c) { return "code \(c) is not three digits" }
        if fresh.isTransportEvent != (fresh.code == nil) { return "transport flag \(fresh.isTransportEvent) with code \(String(describing: fresh.code))" }
        var reused = Reply(parsing: Array("550-5.1.1 a previous\r\n550 5.1.1 reply with more text than most".utf8))
        data.withUnsafeBufferPointer { reused.refill(parsing: $0) }
        if reused.line != fresh.line || reused.textStart != fresh.textStart || reused.code != fresh.code || reused.enhanced != fresh.enhanced {
            return "refilling a used reply differs from parsing afresh"
        }
        return nil
    }

    /// The input steers a generator (byte by byte) to a small rule set and replies; every backend must agree
    /// with naive on the first match and the chain, and compile whatever the parser accepts.
    @Sendable public static func differential(_ data: [UInt8]) -> String? {
        var rng = ByteStreamRandom(data)
        let generator = RuleFuzzGenerator(pcreOnlyPercent: 30, maxRules: 5)
        let rules = generator.rules(using: &rng)
        guard let oracle = DifferentialOracle(rules: rules) else { return nil }
        if let f = oracle.compileFailures.first { return f.description }
        var replies = generator.replies(for: oracle.ruleSet, count: 4, using: &rng)
        if !rng.isExhausted { replies.append(Reply(parsing: Array(data.suffix(64)))) }
        for reply in replies {
            if let f = oracle.check(reply).first {
                return FuzzCase(rules: rules, reply: reply, failure: f).reproduction
            }
        }
        return nil
    }
}

extension RegexNode {
    /// Opaque constructs print as their source, which need not round-trip under other flags.
    var containsOpaque: Bool {
        var found = false
        forEachNode { if case .opaque = $0 { found = true } }
        return found
    }
}
