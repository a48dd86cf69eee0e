import BounceRules
import Matching
import RegexSyntax

/// What `bouncematch check` is asked to look at beyond the rules themselves.
public struct LintOptions: Sendable {
    /// Replies to run the rules on (one normalized reply each) for never-firing and over-broad rules.
    public var corpus: [[UInt8]]?
    /// A rule that wins more than this share of the corpus is reported as over-broad.
    public var maxShare: Double?
    /// Compile every registered backend and report its notes (hybrid, undecidable rules).
    public var backends: Bool
    /// Samples of each regex rule for the shadowing analysis.
    public var samplesPerRule: Int

    public init(corpus: [[UInt8]]? = nil, maxShare: Double? = nil, backends: Bool = true, samplesPerRule: Int = 32) {
        self.corpus = corpus
        self.maxShare = maxShare
        self.backends = backends
        self.samplesPerRule = samplesPerRule
    }
}

/// How one backend took the rule set.
public struct BackendStatus: Sendable {
    public var name: String
    /// nil when the backend took the rule set; else why not.
    public var error: String?
    public var notes: [RuleNote]
}

/// Everything `check` found in one rule set.
public struct LintReport: Sendable {
    public var files: [String]
    public var ruleSet: RuleSet
    public var findings: [LintFinding]
    public var backends: [BackendStatus]
    /// Replies in the corpus, when one was given.
    public var corpusReplies: Int?

    public var warningCount: Int { findings.filter { $0.severity == .warning }.count }
    public var noteCount: Int { findings.filter { $0.severity == .note }.count }
    public func count(_ kind: LintFinding.Kind) -> Int { findings.filter { $0.kind == kind }.count }
}

/// The rule-set linter behind `bouncematch check` (docs/LINT.md).
public enum Linter {
    /// Lints a loaded rule set. `files` are the rule files it came from (read again for PowerMTA list use).
    public static func lint(_ ruleSet: RuleSet, files: [String], options: LintOptions = LintOptions()) -> LintReport {
        var findings: [LintFinding] = []
        let rules = ruleSet.rules
        func at(_ i: Int) -> SourceLocation { rules[i].location }
        func ref(_ i: Int) -> String { "rule \(i) (\(rules[i].location.file):\(rules[i].location.line))" }

        // PCRE-only rules.
        for (i, rule) in rules.enumerated() {
            guard let p = ruleSet.patterns[i], !p.regex.pcreOnly.isEmpty else { continue }
            let uses = p.regex.pcreOnly.map(\.description).joined(separator: ", ")
            findings.append(LintFinding(.pcreOnly, .note, rule: i, location: rule.patternLocation,
                                        message: "rule \(i) is PCRE-only (\(uses)): \(rule.patternText)"))
        }

        // Suspicious syntax.
        for (i, rule) in rules.enumerated() {
            for (kind, message, suggestion) in PatternSmells.find(rule) {
                findings.append(LintFinding(kind, .warning, rule: i, location: rule.patternLocation, message: message, suggestion: suggestion))
            }
        }

        // Duplicates, shadowing, catch-alls.
        let analysis = ShadowAnalysis(ruleSet: ruleSet, samplesPerRule: options.samplesPerRule)
        var catchAll: [Int: [String]] = [:]
        for i in rules.indices.dropLast() {
            let classes = analysis.catchAllClasses(of: i)
            if !classes.isEmpty { catchAll[i] = classes }
        }
        var shadowedBy: [Int: [Int]] = [:]
        for c in analysis.covers() {
            let a = c.earlier, b = c.later
            shadowedBy[a, default: []].append(b)
            let labelNote = rules[a].label != rules[b].label
                ? " (its label '\(rules[b].label)' is never produced; \(rules[a].label.isEmpty ? "the earlier rule has no label" : "the earlier rule gives '\(rules[a].label)'"))" : ""
            switch c.certainty {
            case .duplicate:
                findings.append(LintFinding(.duplicate, .warning, rule: b, location: at(b),
                                            message: "rule \(b) duplicates \(ref(a)): same kind, pattern, target and conditions\(labelNote)",
                                            related: a))
            case .exact, .sampled:
                let why = catchAll[a].map { " is a catch-all for \($0.joined(separator: "/")) replies placed before it and" } ?? ""
                let verb = c.certainty == .exact ? "can never fire" : "is likely shadowed"
                findings.append(LintFinding(c.certainty == .exact ? .shadowed : .likelyShadowed, .warning, rule: b, location: at(b),
                                            message: "rule \(b) \(verb): \(ref(a))\(why) matches every reply it matches\(labelNote)",
                                            related: a, example: c.example))
            }
        }
        for (i, classes) in catchAll.sorted(by: { $0.key < $1.key }) {
            let later = rules.count - i - 1
            let taken = shadowedBy[i]?.count ?? 0
            findings.append(LintFinding(.catchAll, taken > 0 ? .warning : .note, rule: i, location: at(i),
                                        message: "rule \(i) matches every \(classes.joined(separator: "/")) reply (a catch-all) but \(later) rule(s) come after it"
                                            + (taken > 0 ? "; \(taken) of them can never fire" : "; they can only fire for other replies")))
        }

        // Labels outside the format's vocabulary.
        let vocabulary = tsvVocabulary(rules)
        for (i, rule) in rules.enumerated() where !rule.label.isEmpty {
            let plain = rule.format == "tsv" || rule.format == "native"
            guard let known = LabelVocabulary.known(for: rule) ?? (plain ? vocabulary : nil), !known.contains(rule.label) else { continue }
            let near = LabelVocabulary.nearest(rule.label, in: known)
            findings.append(LintFinding(.unknownLabel, .warning, rule: i, location: at(i),
                                        message: "label '\(rule.label)' is not a known \(rule.format == "tsv" || rule.format == "native" ? "KumoMTA" : rule.format) category" + (near.map { "; did you mean '\($0)'?" } ?? ""),
                                        suggestion: near))
        }

        // PowerMTA lists defined but never applied (or applied but never defined), joined over every file.
        var defined: [PowerMTAListName] = [], used: [PowerMTAListName] = []
        let powerMTAFiles = Set(rules.filter { $0.format == "powermta" }.map(\.location.file))
        for file in files where powerMTAFiles.contains(file) {
            guard let bytes = RuleLoader.readFile(file) else { continue }
            let r = PowerMTARuleFormat.references(bytes, file: file)
            defined += r.defined
            used += r.used
        }
        let usedNames = Set(used.map(\.name)), definedNames = Set(defined.map(\.name))
        for d in defined where !usedNames.contains(d.name) {
            findings.append(LintFinding(.unusedList, .warning, rule: nil, location: d.location,
                                        message: "smtp-pattern-list '\(d.name)' is defined but no 'smtp-pattern-list \(d.name)' line applies it, so none of its patterns is ever used"))
        }
        for u in used where !definedNames.contains(u.name) {
            findings.append(LintFinding(.undefinedList, .warning, rule: nil, location: u.location,
                                        message: "smtp-pattern-list '\(u.name)' is applied\(u.scope.isEmpty ? "" : " in <\(u.scope)>") but defined in no loaded file"))
        }

        // Corpus: rules that never fire, rules that take too much.
        var corpusCount: Int?
        if let corpus = options.corpus {
            corpusCount = corpus.count
            let matcher = NaiveMatcher(ruleSet: ruleSet)
            let scratch = matcher.makeScratch()
            var wins = [Int](repeating: 0, count: rules.count)
            var firstWin = [Int](repeating: -1, count: rules.count)
            var reply = Reply()
            for (n, line) in corpus.enumerated() {
                line.withUnsafeBufferPointer { ReplyParser.parse($0, context: ReplyContext(), into: &reply) }
                let r = matcher.firstMatch(reply, scratch: scratch)
                guard r.ruleIndex >= 0 else { continue }
                wins[r.ruleIndex] += 1
                if firstWin[r.ruleIndex] < 0 { firstWin[r.ruleIndex] = n }
            }
            for i in rules.indices where wins[i] == 0 {
                findings.append(LintFinding(.neverFires, .note, rule: i, location: at(i),
                                            message: "rule \(i) wins none of the \(corpus.count) corpus replies"))
            }
            if let maxShare = options.maxShare, !corpus.isEmpty {
                for i in rules.indices where Double(wins[i]) / Double(corpus.count) > maxShare {
                    let share = Double(wins[i]) / Double(corpus.count)
                    findings.append(LintFinding(.overBroad, .warning, rule: i, location: at(i),
                                                message: "rule \(i) wins \(wins[i]) of \(corpus.count) corpus replies (\(percent(share)), more than \(percent(maxShare)))",
                                                example: corpus[firstWin[i]]))
                }
            }
        }

        // Backends: which take the rule set, and what they run hybrid or cannot decide.
        var statuses: [BackendStatus] = []
        if options.backends {
            for d in Backends.all {
                do {
                    let m = try d.make(ruleSet, MatcherOptions())
                    statuses.append(BackendStatus(name: d.name, error: nil, notes: m.ruleNotes))
                    for n in m.ruleNotes {
                        findings.append(LintFinding(.backendNote, .note, rule: n.ruleIndex, location: rules[n.ruleIndex].patternLocation,
                                                    message: "\(d.name): rule \(n.ruleIndex) \(n.kind.rawValue): \(n.reason)"))
                    }
                } catch {
                    statuses.append(BackendStatus(name: d.name, error: "\(error)", notes: []))
                }
            }
        }

        findings.sort { a, b in
            (a.location.file, a.location.line, a.location.column, a.kind.rawValue) < (b.location.file, b.location.line, b.location.column, b.kind.rawValue)
        }
        return LintReport(files: files, ruleSet: ruleSet, findings: findings, backends: statuses, corpusReplies: corpusCount)
    }

    /// For a plain rule list whose labels are mostly KumoMTA classes (a classifier copied into TSV or native
    /// YAML), KumoMTA's class names; nil otherwise.
    static func tsvVocabulary(_ rules: [Rule]) -> [String]? {
        let labels = Set(rules.filter { ($0.format == "tsv" || $0.format == "native") && !$0.label.isEmpty }.map(\.label))
        guard labels.count >= 3 else { return nil }
        let known = labels.filter(LabelVocabulary.kumoMTAClasses.contains).count
        return known * 4 >= labels.count * 3 ? LabelVocabulary.kumoMTAClasses : nil
    }

    static func percent(_ x: Double) -> String {
        let tenths = Int((x * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
