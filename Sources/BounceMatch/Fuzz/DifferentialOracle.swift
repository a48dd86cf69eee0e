import BounceRules
import Matching

/// What went wrong when every backend was asked about one rule set and one reply.
public enum FuzzFailure: Hashable, Sendable, CustomStringConvertible {
    /// A backend's first match is incompatible with naive's (`DifferentialRun.compatible`).
    case firstMatch(backend: String, naive: MatchResult, other: MatchResult)
    /// Both first matches agree but the chains (continue flags) differ where both are decided.
    case chain(backend: String, naive: [Int], other: [Int])
    /// A backend refused a rule set the project's parser accepted.
    case compile(backend: String, reason: String)

    public var backend: String {
        switch self {
        case .firstMatch(let b, _, _), .chain(let b, _, _), .compile(let b, _): return b
        }
    }

    /// The same kind of failure on the same backend (what the minimizer keeps while shrinking).
    public func sameKind(as other: FuzzFailure) -> Bool {
        switch (self, other) {
        case (.firstMatch(let a, _, _), .firstMatch(let b, _, _)): return a == b
        case (.chain(let a, _, _), .chain(let b, _, _)): return a == b
        case (.compile(let a, _), .compile(let b, _)): return a == b
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .firstMatch(let b, let n, let o): return "\(b) first match \(o), naive \(n)"
        case .chain(let b, let n, let o): return "\(b) chain \(o), naive \(n)"
        case .compile(let b, let r): return "\(b) cannot compile a rule set the parser accepts: \(r)"
        }
    }
}

/// Runs every backend of `Backends.all` against `naive` on one rule set: first match and chain.
public struct DifferentialOracle {
    public let ruleSet: RuleSet
    public let naive: NaiveMatcher
    public let others: [any Matcher]
    public let compileFailures: [FuzzFailure]
    let naiveScratch: any MatchScratch
    let otherScratches: [any MatchScratch]

    /// Nil when the rules do not form a valid rule set (the parser rejects a pattern).
    public init?(rules: [Rule], backends: [BackendDescriptor] = Backends.all, options: MatcherOptions = MatcherOptions()) {
        guard let set = try? RuleSet(rules: rules) else { return nil }
        self.init(ruleSet: set, backends: backends, options: options)
    }

    public init(ruleSet: RuleSet, backends: [BackendDescriptor] = Backends.all, options: MatcherOptions = MatcherOptions()) {
        self.ruleSet = ruleSet
        naive = NaiveMatcher(ruleSet: ruleSet, options: options)
        var others: [any Matcher] = []
        var failures: [FuzzFailure] = []
        for d in backends where d.name != "naive" {
            do { others.append(try d.make(ruleSet, options)) } catch {
                failures.append(.compile(backend: d.name, reason: error.description))
            }
        }
        self.others = others
        compileFailures = failures
        naiveScratch = naive.makeScratch()
        otherScratches = others.map { $0.makeScratch() }
    }

    /// Every failure on `reply` (compile failures not included; see `compileFailures`).
    public func check(_ reply: Reply) -> [FuzzFailure] {
        var out: [FuzzFailure] = []
        let base = naive.firstMatch(reply, scratch: naiveScratch)
        var baseChain: [Int]? = nil
        for (m, s) in zip(others, otherScratches) {
            let r = m.firstMatch(reply, scratch: s)
            if !DifferentialRun.compatible(base, r) {
                out.append(.firstMatch(backend: m.backendName, naive: base, other: r))
                continue
            }
            guard base.isDecided, r.isDecided, base.ruleIndex >= 0 else { continue }
            if baseChain == nil { baseChain = Self.decidedChain(naive, reply, naiveScratch) }
            let otherChain = Self.decidedChain(m, reply, s)
            let n = min(baseChain!.count, otherChain.count)
            // Chains are compared up to the first undecided step on either side.
            if baseChain![..<n] != otherChain[..<n] || (Self.complete(baseChain!) && Self.complete(otherChain) && baseChain! != otherChain) {
                out.append(.chain(backend: m.backendName, naive: baseChain!.filter { $0 >= 0 }, other: otherChain.filter { $0 >= 0 }))
            }
        }
        return out
    }

    /// The chain, cut where a step is undecided (then it ends with -1).
    static func decidedChain(_ m: any Matcher, _ reply: Reply, _ s: any MatchScratch) -> [Int] {
        var chain: [Int] = []
        var from = 0
        while chain.count < m.ruleSet.count {
            let r = m.firstMatch(reply, from: from, scratch: s)
            if !r.isDecided { chain.append(-1); break }
            guard r.ruleIndex >= 0 else { break }
            chain.append(r.ruleIndex)
            guard m.ruleSet.rules[r.ruleIndex].continues else { break }
            from = r.ruleIndex + 1
        }
        return chain
    }

    static func complete(_ chain: [Int]) -> Bool { chain.last != -1 }

    /// The first failure for `rules` on `reply` that has the same kind as `like` (any kind when nil).
    public static func failure(rules: [Rule], reply: Reply, like: FuzzFailure?, backends: [BackendDescriptor] = Backends.all) -> FuzzFailure? {
        let wanted = like.map { b in backends.filter { $0.name == "naive" || $0.name == b.backend } } ?? backends
        guard let oracle = DifferentialOracle(rules: rules, backends: wanted) else { return nil }
        let all = oracle.compileFailures + (oracle.compileFailures.isEmpty ? oracle.check(reply) : [])
        guard let like else { return all.first }
        return all.first { $0.sameKind(as: like) }
    }
}
