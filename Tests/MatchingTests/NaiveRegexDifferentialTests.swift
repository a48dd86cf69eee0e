import BounceMatch
import Testing
import TestSupport

/// The VM (with its memo, fast paths and compiled loops) against the independent CPS oracle on random
/// ASTs and subjects, with fixed seeds.
@Suite struct NaiveRegexDifferentialTests {
    struct Generator {
        var rng: SplitMix64
        var groups = 0

        mutating func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

        mutating func byte() -> RegexNode {
            let bytes: [UInt8] = [0x61, 0x62, 0x41, 0x20]
            let b = bytes[pick(bytes.count)]
            return .literal(b, caseless: pick(3) == 0)
        }

        mutating func set() -> RegexNode {
            var s = ByteSet()
            for b: UInt8 in [0x61, 0x62, 0x41, 0x0A, 0x20] where pick(2) == 0 { s.insert(b) }
            return .set(pick(5) == 0 ? s.inverted : s)
        }

        mutating func assertion() -> RegexNode {
            let all: [RegexAssertion] = [
                .startOfSubject, .startOfLine, .endOfSubjectOrFinalNewline, .endOfLine, .endOfSubject,
                .wordBoundary, .notWordBoundary,
            ]
            return .assertion(all[pick(all.count)])
        }

        /// A node of fixed length, for lookbehind branches.
        mutating func fixed(_ depth: Int) -> RegexNode {
            switch depth <= 0 ? pick(3) : pick(6) {
            case 0: return byte()
            case 1: return set()
            case 2: return assertion()
            case 3: return .concat([fixed(depth - 1), fixed(depth - 1)])
            case 4:
                groups += 1
                let g = groups
                return .group(fixed(depth - 1), capture: g)
            default:
                let n = pick(3)
                return .repetition(fixed(depth - 1), min: n, max: n, kind: .greedy)
            }
        }

        mutating func node(_ depth: Int) -> RegexNode {
            if depth <= 0 {
                switch pick(20) {
                case 0..<10: return byte()
                case 10..<13: return set()
                case 13, 14: return assertion()
                case 15: return .empty
                default: return groups > 0 ? .backreference(1 + pick(groups), caseless: pick(2) == 0) : byte()
                }
            }
            switch pick(12) {
            case 0, 1: return .concat((0..<(2 + pick(2))).map { _ in node(depth - 1) })
            case 2, 3: return .alternation((0..<(2 + pick(2))).map { _ in node(depth - 1) })
            case 4:
                groups += 1
                let g = groups
                return .group(node(depth - 1), capture: g)
            case 5, 6, 7:
                let min = pick(3)
                let max: Int? = pick(2) == 0 ? nil : min + pick(3)
                let kinds: [RepetitionKind] = [.greedy, .lazy, .possessive]
                return .repetition(node(depth - 1), min: min, max: max, kind: kinds[pick(3)])
            case 8:
                return .look(node(depth - 1), behind: false, negated: pick(2) == 0)
            case 9:
                let body: RegexNode = pick(2) == 0 ? .alternation([fixed(depth - 1), fixed(depth - 1)]) : fixed(depth - 1)
                return .look(body, behind: true, negated: pick(2) == 0)
            case 10:
                return .atomic(node(depth - 1))
            default:
                return node(0)
            }
        }

        mutating func subject() -> [UInt8] {
            let bytes: [UInt8] = [0x61, 0x62, 0x41, 0x0A, 0x20]
            return (0..<pick(9)).map { _ in bytes[pick(bytes.count)] }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func vmAgreesWithCPSOracle(seed: UInt64) {
        var g = Generator(rng: SplitMix64(seed: seed))
        let scratch = NaiveRegexScratch()
        var compared = 0
        for _ in 0..<1500 {
            g.groups = 0
            let root = g.node(3)
            let re = NaiveRegex(root, captureCount: g.groups)
            #expect(re.isSupported, "\(root): \(re.unsupportedReason ?? "")")
            for _ in 0..<6 {
                let s = g.subject()
                let expected = NaiveCPSOracle.firstSpan(root, captureCount: g.groups, in: s)
                let got = s.withUnsafeBufferPointer { re.firstMatchSpan(in: $0, scratch: scratch, budget: 10_000_000) }
                let want: NaiveSearchOutcome = expected.map { .match($0) } ?? .noMatch
                #expect(got == want, "pattern \(root) subject \(s)")
                compared += 1
            }
        }
        #expect(compared == 9000)
    }
}
