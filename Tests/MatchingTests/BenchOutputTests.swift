import BounceMatch
import Testing

/// A strict JSON syntax check (RFC 8259), enough to prove the report is well-formed.
struct JSONSyntax {
    let b: [UInt8]
    var i = 0
    init(_ s: String) { b = Array(s.utf8) }

    static func isValid(_ s: String) -> Bool {
        var p = JSONSyntax(s)
        guard p.value() else { return false }
        p.ws()
        return p.i == p.b.count
    }

    mutating func ws() { while i < b.count, [0x20, 0x0A, 0x0D, 0x09].contains(b[i]) { i += 1 } }
    mutating func lit(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard i + u.count <= b.count, Array(b[i..<i + u.count]) == u else { return false }
        i += u.count
        return true
    }
    mutating func value() -> Bool {
        ws()
        guard i < b.count else { return false }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1; ws()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return true }
            while true {
                ws()
                guard string() else { return false }
                ws()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { return false }
                i += 1
                guard value() else { return false }
                ws()
                guard i < b.count else { return false }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return true }
                return false
            }
        case UInt8(ascii: "["):
            i += 1; ws()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return true }
            while true {
                guard value() else { return false }
                ws()
                guard i < b.count else { return false }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return true }
                return false
            }
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: "t"): return lit("true")
        case UInt8(ascii: "f"): return lit("false")
        case UInt8(ascii: "n"): return lit("null")
        default: return number()
        }
    }
    mutating func string() -> Bool {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { return false }
        i += 1
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; return true }
            if c < 0x20 { return false }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < b.count else { return false }
                if b[i] == UInt8(ascii: "u") {
                    guard i + 4 < b.count, b[(i + 1)...(i + 4)].allSatisfy({ isHex($0) }) else { return false }
                    i += 4
                } else if !Array("\"\\/bfnrt".utf8).contains(b[i]) { return false }
            }
            i += 1
        }
        return false
    }
    func isHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) }
    func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    mutating func number() -> Bool {
        let start = i
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count, isDigit(b[i]) else { return false }
        if b[i] == 0x30 { i += 1 } else { while i < b.count, isDigit(b[i]) { i += 1 } }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < b.count, isDigit(b[i]) else { return false }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, isDigit(b[i]) else { return false }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        return i > start
    }
}

/// Checks XML well-formedness as far as the chart uses XML: balanced tags, quoted attributes, and no raw
/// `<` or `&` in text except entities.
func xmlIsWellFormed(_ s: String) -> Bool {
    let b = Array(s.utf8)
    var stack: [String] = []
    var i = 0
    var sawRoot = false
    while i < b.count {
        if b[i] == UInt8(ascii: "<") {
            guard let close = b[i...].firstIndex(of: UInt8(ascii: ">")) else { return false }
            let inner = String(decoding: b[(i + 1)..<close], as: UTF8.self)
            i = close + 1
            if inner.hasPrefix("?") { guard inner.hasSuffix("?") else { return false }; continue }
            if inner.hasPrefix("/") {
                guard stack.popLast() == String(inner.dropFirst()) else { return false }
                continue
            }
            let selfClosing = inner.hasSuffix("/")
            let body = selfClosing ? String(inner.dropLast()) : inner
            guard let name = body.split(separator: " ").first.map(String.init), !name.isEmpty else { return false }
            guard body.filter({ $0 == "\"" }).count % 2 == 0 else { return false }
            if stack.isEmpty { if sawRoot { return false }; sawRoot = true }
            if !selfClosing { stack.append(name) }
        } else if b[i] == UInt8(ascii: "&") {
            guard let semi = b[i...].firstIndex(of: UInt8(ascii: ";")) else { return false }
            let entity = String(decoding: b[(i + 1)..<semi], as: UTF8.self)
            guard ["amp", "lt", "gt", "quot", "apos"].contains(entity) else { return false }
            i = semi + 1
        } else {
            i += 1
        }
    }
    return stack.isEmpty && sawRoot
}

@Suite("Bench JSON and SVG output")
struct BenchOutputTests {
    static func report(rules: Int = 300, name: String = "rules <mixed> & \"quoted\"\tset") -> BenchReport {
        var r = BenchReport(
            inputName: name, ruleCount: rules, replyCount: 5000, byteCount: 400_000, reference: "naive", repeats: 3,
            backends: [
                BenchFiguresTests.figure("naive", rate: 5_000),
                BenchFiguresTests.figure("hyperscan", rate: 400_000 * Double(rules) / 300, hybrid: 1),
                BenchFiguresTests.figure("broken", rate: nil, verdict: .disagrees(replies: 2, example: "reply 4: naive=1 broken=2 <\"x\">")),
                BenchFiguresTests.figure("refuses", rate: nil, verdict: .cannotCompile(reason: "rule 3: \\C not allowed")),
            ],
            recommendation: nil)
        r.backends[1].scaling = [
            ThreadScaling(threads: 1, repliesPerSecond: BenchStatistics([1, 2, 3])!, speedup: 1),
            ThreadScaling(threads: 2, repliesPerSecond: BenchStatistics([3, 4])!, speedup: 1.75),
        ]
        r.backends[1].footprintBytes = 123_456
        r.machineSpeedups = [ThreadControl(threads: 2, speedup: 1.2)]
        r.computeRatios()
        r.recommendation = Recommendation.choose(r.backends)
        return r
    }

    @Test("the JSON report is well-formed and carries null speed for backends without a figure")
    func jsonWellFormed() {
        let r = Self.report()
        let json = r.json()
        #expect(JSONSyntax.isValid(json), "\(json)")
        #expect(json.contains("\"backend\":\"broken\",\"verdict\":\"disagrees\""))
        #expect(json.contains("\"replies_per_second\":null"))
        #expect(json.contains("\"footprint_bytes\":123456"))
        #expect(json.contains("\"machine_speedups\":[{\"threads\":2,\"speedup\":1.2}]"))
        #expect(JSONSyntax.isValid(BenchReport.json([r, Self.report(rules: 10)])))
        #expect(!JSONSyntax.isValid("{\"a\":1,}"), "the checker itself must reject bad JSON")
    }

    @Test("the bar and sweep charts are well-formed SVG with escaped text")
    func svgWellFormed() {
        let bars = BenchChart.bars(Self.report())
        #expect(xmlIsWellFormed(bars), "\(bars)")
        #expect(bars.contains("&lt;mixed&gt; &amp; &quot;quoted&quot;"))
        #expect(bars.contains("no figure: DISAGREES on 2 replies"))
        #expect(occurrences("<rect ", in: bars) == 3, "background + one bar per measured backend")
        let sweep = BenchChart.sweep([10, 100, 1000, 10_000].map { Self.report(rules: $0, name: "sweep") })
        #expect(xmlIsWellFormed(sweep), "\(sweep)")
        #expect(occurrences("<polyline ", in: sweep) == 2, "one line per backend with figures")
        #expect(!xmlIsWellFormed("<svg><g></svg>"), "the checker itself must reject bad XML")
    }

    @Test("the text report shows ratios, the scaling table and the recommendation")
    func textReport() {
        let t = Self.report().text()
        #expect(t.contains("Recommendation: hyperscan: 80×"))
        #expect(t.contains("broken: DISAGREES on 2 replies (first: reply 4"))
        #expect(t.contains("1.75×"))
        #expect(t.contains("machine check: pure CPU work scaled 1.20× on 2 threads during this run (the machine is busy"))
    }
}

func occurrences(_ needle: String, in hay: String) -> Int {
    let h = Array(hay.utf8), n = Array(needle.utf8)
    guard h.count >= n.count else { return 0 }
    return (0...(h.count - n.count)).filter { Array(h[$0..<$0 + n.count]) == n }.count
}
