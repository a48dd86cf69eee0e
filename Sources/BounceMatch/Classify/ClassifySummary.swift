/// Unclassified replies that share a shape (see `ReplyShape`).
public struct UnclassifiedShape: Hashable, Sendable {
    public var shape: [UInt8]
    /// The first reply of this shape, normalized (capped at 2,048 bytes).
    public var example: [UInt8]
    public var count: Int
}

/// A record that could not be classified, and where it is.
public struct BadRecord: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// The line the record starts on (1-based).
    public var line: Int
    public var reason: BadRecordReason
    public var description: String { "\(file):\(line): \(reason)" }
}

/// What `classify` found: counts per rule and label, unclassified replies by shape, bad records.
public struct ClassifySummary: Sendable {
    public var files: [String] = []
    /// Inputs that could not be opened or read to the end.
    public var fileErrors: [InputError] = []
    /// Records read (matched + unmatched + skipped + bad).
    public var records = 0
    public var matched = 0
    public var unmatched = 0
    /// Records of types not selected (deliveries, receptions ...).
    public var skipped = 0
    public var bad = 0
    /// Records whose answer the backend could not decide (step budget, PCRE2 limits).
    public var undecided = 0
    /// `ruleCounts[i]`: records whose first match is rule `i`.
    public var ruleCounts: [Int] = []
    /// The unclassified shapes, most frequent first (ties: first seen first): all of them, or the first
    /// `ClassifyOptions.shapesKept`.
    public var shapes: [UnclassifiedShape] = []
    /// Distinct unclassified shapes kept by the shape table (`shapes` may list fewer).
    public var distinctShapes = 0
    /// Unclassified replies whose shape was not kept because the shape table was full.
    public var shapeOverflow = 0
    /// The first bad records (up to `ClassifyOptions.maxBadRecordsKept`).
    public var badRecords: [BadRecord] = []
    /// Bytes of the inputs consumed (compressed bytes for gzip).
    public var bytesRead: Int64 = 0

    /// The records that were classified or tried: everything but skipped and bad records.
    public var replies: Int { matched + unmatched }

    /// Records per label, most frequent first (ties by label); unclassified replies are not included.
    public func labelCounts(_ ruleSet: RuleSet) -> [(label: String, count: Int)] {
        var byLabel: [String: Int] = [:]
        for (i, n) in ruleCounts.enumerated() where n > 0 { byLabel[ruleSet.rules[i].label, default: 0] += n }
        return byLabel.map { ($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }
    }

    /// Rules with at least one record, most frequent first (ties by index).
    public func ruleRanking() -> [(index: Int, count: Int)] {
        ruleCounts.enumerated().filter { $0.element > 0 }.map { ($0.offset, $0.element) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.index < $1.index }
    }

    /// The human-readable report.
    public func text(ruleSet: RuleSet, top: Int, badShown: Int = 20) -> String {
        var out = ""
        func pct(_ n: Int) -> String {
            guard replies > 0 else { return "" }
            let tenths = (n * 1000 + replies / 2) / replies
            return " (\(tenths / 10).\(tenths % 10)%)"
        }
        out += "records: \(records)  replies: \(replies)  classified: \(matched)\(pct(matched))  unclassified: \(unmatched)\(pct(unmatched))  skipped: \(skipped)  bad: \(bad)\n"
        if undecided > 0 { out += "undecided: \(undecided) (the backend hit its step budget or match limit)\n" }
        for e in fileErrors { out += "input error: \(e)\n" }
        out += "\nlabels:\n"
        for (label, n) in labelCounts(ruleSet) { out += pad(n, 10) + "  " + (label.isEmpty ? "(no label)" : label) + pct(n) + "\n" }
        out += pad(unmatched, 10) + "  (unclassified)\n"
        out += "\nrules:\n"
        for (i, n) in ruleRanking() {
            let r = ruleSet.rules[i]
            let location = "\(r.location.file):\(r.location.line)"
            let name = r.name.isEmpty || r.name == location ? "" : "  " + r.name
            out += pad(n, 10) + "  #\(i)\(name)  \(location)  \(r.label.isEmpty ? "(no label)" : r.label)\n"
        }
        let shown = shapes.prefix(max(top, 0))
        out += "\nunclassified by shape (top \(shown.count) of \(distinctShapes)\(shapeOverflow > 0 ? " + \(shapeOverflow) replies in further shapes" : "")):\n"
        for s in shown {
            out += pad(s.count, 10) + "  " + String(decoding: s.shape, as: UTF8.self) + "\n"
            out += String(repeating: " ", count: 12) + "e.g. " + String(decoding: s.example, as: UTF8.self) + "\n"
        }
        if bad > 0 {
            out += "\nbad records (\(min(badShown, badRecords.count)) of \(bad) shown):\n"
            for b in badRecords.prefix(badShown) { out += "  \(b)\n" }
        }
        return out
    }

    /// The report as one JSON object.
    public func json(ruleSet: RuleSet, top: Int, badShown: Int = 20) -> String {
        let labels = labelCounts(ruleSet).map { JSON.object([("label", JSON.string($0.label)), ("count", "\($0.count)")]) }
        let rules = ruleRanking().map { (i, n) -> String in
            let r = ruleSet.rules[i]
            return JSON.object([
                ("index", "\(i)"), ("name", JSON.string(r.name)),
                ("location", JSON.string("\(r.location.file):\(r.location.line)")),
                ("label", JSON.string(r.label)), ("count", "\(n)"),
            ])
        }
        let shapeItems = shapes.prefix(max(top, 0)).map {
            JSON.object([("shape", JSON.string(bytes: $0.shape)), ("count", "\($0.count)"), ("example", JSON.string(bytes: $0.example))])
        }
        let badItems = badRecords.prefix(badShown).map {
            JSON.object([("file", JSON.string($0.file)), ("line", "\($0.line)"), ("reason", JSON.string($0.reason.description))])
        }
        return JSON.object([
            ("files", JSON.array(files.map(JSON.string))),
            ("inputErrors", JSON.array(fileErrors.map { JSON.string($0.description) })),
            ("records", "\(records)"), ("replies", "\(replies)"), ("classified", "\(matched)"),
            ("unclassified", "\(unmatched)"), ("skipped", "\(skipped)"), ("bad", "\(bad)"), ("undecided", "\(undecided)"),
            ("labels", JSON.array(labels)), ("rules", JSON.array(rules)),
            ("unclassifiedShapes", "\(distinctShapes)"), ("shapeOverflow", "\(shapeOverflow)"),
            ("topUnclassified", JSON.array(shapeItems)), ("badRecords", JSON.array(badItems)),
        ])
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let s = "\(n)"
        return String(repeating: " ", count: max(width - s.count, 0)) + s
    }
}
