#if canImport(Glibc)
import Glibc
#endif
import BounceRules
import Matching
import RegexSyntax

/// One attack string built from a pattern's AST: `prefix + pump × n + suffix`.
public struct AttackShape: Hashable, Sendable {
    public var prefix: [UInt8]
    public var pump: [UInt8]
    public var suffix: [UInt8]

    public func subject(repeats n: Int) -> [UInt8] {
        var out = prefix
        out.reserveCapacity(prefix.count + pump.count * n + suffix.count)
        for _ in 0..<n { out += pump }
        return out + suffix
    }
}

/// How one backend's cost grew on one attack: cost at n, 2n and 4n repeats of the pump.
public struct GrowthMeasurement: Sendable {
    public var backend: String
    /// `steps` for naive (its step counter), `seconds` for every other backend (wall time, best of several).
    public var unit: String
    public var repeats: [Int]
    public var costs: [Double]
    /// The backend gave up (naive step budget, PCRE2 match/depth limit) at some size.
    public var hitLimit: Bool

    /// log2 of the cost ratio of the last doubling: ~1 linear, ~2 quadratic, large for exponential.
    public var exponent: Double {
        guard costs.count >= 3, costs[1] > 0 else { return 0 }
        return log2(max(costs[2], 1e-12) / costs[1])
    }

    public var summary: String {
        let shown = zip(repeats, costs).map { n, c in
            unit == "steps" ? "n=\(n): \(Int(c)) steps" : "n=\(n): \(formatSeconds(c))"
        }
        return "\(backend): " + shown.joined(separator: ", ") + (hitLimit ? " (limit hit)" : " (growth exponent \(format2(exponent)))")
    }
}

func formatSeconds(_ s: Double) -> String {
    s >= 1e-3 ? "\(format2(s * 1e3)) ms" : "\(format2(s * 1e6)) µs"
}

func format2(_ x: Double) -> String {
    guard x.isFinite else { return "inf" }
    let scaled = (x * 100).rounded()
    let whole = Int(scaled / 100), frac = Int(abs(scaled).truncatingRemainder(dividingBy: 100))
    return "\(whole).\(frac < 10 ? "0" : "")\(frac)"
}

/// Looks for super-linear matching time (ReDoS) of one rule on attack strings built from its AST, in every
/// backend.
public enum SlowPatternProbe {
    /// Attack shapes for `root`: for every pumpable repetition (unbounded, or more than 16 repeats), a
    /// prefix that leads to it (samples of what comes before it), a pump sampled from its body, and a
    /// failing suffix (a control byte no generated reply has, or nothing).
    public static func attacks<R: RandomNumberGenerator>(for root: RegexNode, using rng: inout R, limit: Int = 8) -> [AttackShape] {
        var out: [AttackShape] = []
        func sample(_ n: RegexNode) -> [UInt8] { n.sampleMatch(using: &rng) ?? [] }
        func walk(_ node: RegexNode, prefix: [UInt8]) {
            guard out.count < limit * 3 else { return }
            switch node {
            case .concat(let items):
                var p = prefix
                for item in items {
                    walk(item, prefix: p)
                    p += sample(item)
                }
            case .alternation(let branches):
                for b in branches { walk(b, prefix: prefix) }
            case .group(let inner, _), .atomic(let inner), .look(let inner, _, _):
                walk(inner, prefix: prefix)
            case .repetition(let inner, let lo, let hi, _):
                if hi == nil || hi! > 16 {
                    var pump: [UInt8] = []
                    for _ in 0..<4 where pump.isEmpty { pump = sample(inner) }
                    if !pump.isEmpty {
                        out.append(AttackShape(prefix: prefix, pump: pump, suffix: [0x01]))
                        out.append(AttackShape(prefix: prefix, pump: pump, suffix: []))
                        // A whole match after the failing byte: engines that first check for a required
                        // literal (PCRE2's "last code unit") then do backtrack over the pump.
                        out.append(AttackShape(prefix: prefix, pump: pump, suffix: [0x01] + sample(root)))
                    }
                }
                var p = prefix
                for _ in 0..<max(lo, 1) {
                    walk(inner, prefix: p)
                    p += sample(inner)
                }
            default:
                break
            }
        }
        walk(root, prefix: [])
        var seen = Set<AttackShape>()
        return out.filter { seen.insert($0).inserted }.prefix(limit).map { $0 }
    }

    /// The matchers for `rule` alone (conditions dropped: the probe measures the pattern), per backend.
    public static func matchers(for rule: Rule, backends: [BackendDescriptor], options: MatcherOptions) -> [any Matcher] {
        var r = rule
        r.conditions = RuleConditions()
        r.priority = nil
        guard let set = try? RuleSet(rules: [r]) else { return [] }
        return backends.compactMap { try? $0.make(set, options) }
    }

    /// Measures every backend on `shape` at `base`, 2×`base` and 4×`base` repeats.
    public static func measure(
        rule: Rule, shape: AttackShape, base: Int, matchers: [any Matcher], options: MatcherOptions
    ) -> [GrowthMeasurement] {
        let sizes = [base, base * 2, base * 4]
        let replies = sizes.map { n -> Reply in
            let body = shape.subject(repeats: n)
            if rule.target == .text {
                return Reply(line: Array("550 ".utf8) + body, textStart: 4, code: 550)
            }
            return Reply(line: body, code: nil, isTransportEvent: true)
        }
        var out: [GrowthMeasurement] = []
        for m in matchers {
            if m.backendName == "naive", let naive = m as? NaiveMatcher {
                var costs: [Double] = []
                var limit = false
                for reply in replies {
                    let s = steps(naive, reply, budget: options.stepBudget)
                    if s == nil { limit = true }
                    costs.append(Double(s ?? options.stepBudget))
                }
                out.append(GrowthMeasurement(backend: "naive", unit: "steps", repeats: sizes, costs: costs, hitLimit: limit))
                continue
            }
            let scratch = m.makeScratch()
            var costs: [Double] = []
            var limit = false
            for reply in replies {
                var best = Double.infinity
                var spent = 0.0
                var runs = 0
                while runs < 3 || (spent < 2e-3 && runs < 50) {
                    let t0 = now()
                    let r = m.firstMatch(reply, scratch: scratch)
                    let dt = now() - t0
                    if !r.isDecided { limit = true }
                    best = min(best, dt)
                    spent += dt
                    runs += 1
                    if dt > 0.5 { break }
                }
                costs.append(best)
            }
            out.append(GrowthMeasurement(backend: m.backendName, unit: "seconds", repeats: sizes, costs: costs, hitLimit: limit))
        }
        return out
    }

    /// Whether a measurement shows a slow pattern: a limit hit, or growth exponent above 1.5 with a cost
    /// large enough not to be noise (10,000 steps, 200 µs).
    public static func isSlow(_ g: GrowthMeasurement) -> Bool {
        if g.hitLimit { return true }
        let floor = g.unit == "steps" ? 10_000.0 : 2e-4
        return g.exponent > 1.5 && g.costs.last! > floor
    }

    /// The naive engine's steps for rule 0 on `reply`: the smallest budget that decides it (within 3%),
    /// nil when even `budget` does not.
    public static func steps(_ naive: NaiveMatcher, _ reply: Reply, budget: Int) -> Int? {
        let scratch = naive.makeScratch()
        func decides(_ b: Int) -> Bool {
            let o = NaiveMatcher(ruleSet: naive.ruleSet, options: MatcherOptions(stepBudget: b))
            return o.firstMatch(reply, scratch: scratch).isDecided
        }
        guard decides(budget) else { return nil }
        var lo = 0, hi = 1
        while hi < budget && !decides(hi) { lo = hi; hi *= 2 }
        hi = min(hi, budget)
        while hi - lo > max(hi / 32, 1) {
            let mid = (lo + hi) / 2
            if decides(mid) { hi = mid } else { lo = mid }
        }
        return hi
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
