import BounceRules
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// Random and mutated bytes into every importer: each run returns rules or errors (never crashes), and every
/// error names a real line and column. Seeds are fixed, so a failure reproduces.
@Suite struct ImporterFuzzTests {
    static let cases: [(String, String)] = [
        ("powermta", "powermta-tags.conf"), ("powermta", "powermta-block.conf"), ("mailerq", "mailerq.json"),
        ("altcraft", "altcraft.json"), ("cognos", "cognos-smtprules.xml"), ("kumomta", "kumomta-shaping.toml"),
        ("kumomta", "kumomta-bounces.toml"),
    ]

    static let interesting: [UInt8] = Array("\"'/\\#{}[]<>=,.\n\r\t *?x0\u{7F}".utf8) + [0x00, 0xFF, 0xC3, 0x80]

    @Test(arguments: 0..<cases.count)
    func mutatedFixtures(index: Int) {
        let (format, file) = ImporterFuzzTests.cases[index]
        guard let f = RuleFormats.named(format) else { Issue.record("no format \(format)"); return }
        let seed = ImporterFixtures.bytes(file)
        var rng = SplitMix64(seed: 0xB0_0CE + UInt64(index))
        for _ in 0..<150 {
            var b = seed
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                guard !b.isEmpty else { break }
                let at = Int.random(in: 0..<b.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: b[at] = ImporterFuzzTests.interesting.randomElement(using: &rng)!
                case 1: b.remove(at: at)
                case 2: b.insert(ImporterFuzzTests.interesting.randomElement(using: &rng)!, at: at)
                default: b.removeSubrange(at..<min(b.count, at + Int.random(in: 1...40, using: &rng)))
                }
            }
            check(f, b)
        }
    }

    @Test(arguments: 0..<cases.count)
    func randomBytes(index: Int) {
        let (format, _) = ImporterFuzzTests.cases[index]
        guard let f = RuleFormats.named(format) else { Issue.record("no format \(format)"); return }
        var rng = SplitMix64(seed: 0x5EED + UInt64(index))
        for _ in 0..<100 {
            let n = Int.random(in: 0..<300, using: &rng)
            let b = (0..<n).map { _ in
                Bool.random(using: &rng) ? ImporterFuzzTests.interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            check(f, b)
        }
    }

    /// Deep nesting and a 1 MB line are refused or read, quickly and without a stack overflow.
    @Test(arguments: ["powermta", "mailerq", "altcraft", "cognos", "kumomta"])
    func hostileShapes(format: String) {
        guard let f = RuleFormats.named(format) else { Issue.record("no format \(format)"); return }
        check(f, Array(repeating: UInt8(ascii: "["), count: 100_000))
        check(f, Array(repeating: UInt8(ascii: "{"), count: 100_000))
        check(f, Array("a = ".utf8) + Array(repeating: UInt8(ascii: "["), count: 10_000))
        check(f, Array(repeating: UInt8(ascii: "<"), count: 1) + Array(repeating: UInt8(ascii: "a"), count: 1 << 20))
        check(f, Array(String(repeating: "<a>", count: 5_000).utf8))
        check(f, Array("reply /".utf8) + Array(repeating: UInt8(ascii: "\\"), count: 1 << 20))
    }

    func check(_ f: any RuleFileFormat, _ bytes: [UInt8]) {
        // A trap kills the test process before any report, so IMPORTER_FUZZ_TRACE=1 prints each input first.
        if getenv("IMPORTER_FUZZ_TRACE") != nil, bytes.count < 5000 {
            print("TRACE \(f.name) " + bytes.map { String($0, radix: 16) }.joined(separator: " "))
            fflush(nil)
        }
        let c = f.parseFile(bytes, file: "fuzz", options: LoadOptions())
        for e in c.errors {
            #expect(e.location.line >= 1 && e.location.column >= 1, "\(e)")
            #expect(!e.reason.isEmpty)
        }
        for r in c.rules {
            #expect(r.location.line >= 1 && r.patternLocation.column >= 1)
            #expect(r.kind == nil || !r.pattern.isEmpty)
        }
    }
}
