import BounceRules

/// The answer to "which rule matches first?" for one reply (SPEC §4).
///
/// Results are rule indexes only; labels and names are looked up at the edge.
public struct MatchResult: Hashable, Sendable, CustomStringConvertible {
    /// The lowest rule index whose pattern matched and whose conditions hold, or -1.
    public var ruleIndex: Int
    /// The lowest rule index below `ruleIndex` (or anywhere when `ruleIndex == -1`) whose answer the backend
    /// could not decide (step budget spent, PCRE2 match or depth limit hit), or -1. When it is set, the
    /// true first match lies in `undecided...ruleIndex` (other rules between them may be undecided too), or is
    /// `undecided`, a later rule or none when `ruleIndex == -1`.
    public var undecided: Int

    public init(ruleIndex: Int, undecided: Int = -1) {
        self.ruleIndex = ruleIndex
        self.undecided = undecided
    }

    public static let noMatch = MatchResult(ruleIndex: -1)

    public var isDecided: Bool { undecided < 0 }

    public var description: String {
        undecided < 0 ? "\(ruleIndex)" : "\(ruleIndex) (rule \(undecided) undecided)"
    }
}

/// Per-thread mutable state of one matcher (`hs_scratch_t`, PCRE2 match data, backtracking stacks).
/// Made by `Matcher.makeScratch()`; never shared between threads; only valid with the matcher that made it.
public protocol MatchScratch: AnyObject {}

/// Something a backend wants the user to know about one rule.
public struct RuleNote: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// The backend hands this rule to another engine (PCRE2) while keeping its place in the order.
        case hybrid
        /// The backend can never decide this rule; it is reported undecided whenever it is reached.
        case undecidable
    }
    public var ruleIndex: Int
    public var kind: Kind
    public var reason: String

    public init(ruleIndex: Int, kind: Kind, reason: String) {
        self.ruleIndex = ruleIndex
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "rule \(ruleIndex): \(kind.rawValue): \(reason)" }
}

/// A rule set could not be compiled by a backend.
public struct MatcherError: Error, Hashable, Sendable, CustomStringConvertible {
    public var backend: String
    /// The rule at fault, when one is.
    public var ruleIndex: Int?
    public var reason: String

    public init(backend: String, ruleIndex: Int? = nil, reason: String) {
        self.backend = backend
        self.ruleIndex = ruleIndex
        self.reason = reason
    }

    public var description: String {
        "\(backend): " + (ruleIndex.map { "rule \($0): " } ?? "") + reason
    }
}

/// Tunables shared by the backends. Defaults bound the time per reply (SPEC §5).
public struct MatcherOptions: Hashable, Sendable {
    /// Steps the naive engine may spend on one rule for one reply before it reports the rule undecided.
    public var stepBudget: Int
    /// PCRE2 `match_limit` and `depth_limit`.
    public var pcreMatchLimit: UInt32
    public var pcreDepthLimit: UInt32

    public init(stepBudget: Int = 1_000_000, pcreMatchLimit: UInt32 = 1_000_000, pcreDepthLimit: UInt32 = 10_000) {
        self.stepBudget = stepBudget
        self.pcreMatchLimit = pcreMatchLimit
        self.pcreDepthLimit = pcreDepthLimit
    }
}

/// One backend: a rule set compiled once, matched many times.
///
/// Compile in `init` (throwing `MatcherError`), make one scratch per thread, then call `firstMatch`.
/// Implementations allocate nothing per reply once a scratch is warm.
public protocol Matcher: AnyObject, Sendable {
    /// The registry name (`naive`, `aho-corasick`, `pcre2` ...).
    var backendName: String { get }
    var ruleSet: RuleSet { get }
    /// Rules this backend runs hybrid or cannot decide.
    var ruleNotes: [RuleNote] { get }
    func makeScratch() -> any MatchScratch
    /// The lowest rule index `>= start` whose pattern matches `reply` and whose conditions hold.
    /// `scratch` must come from this matcher's `makeScratch()`.
    func firstMatch(_ reply: Reply, from start: Int, scratch: any MatchScratch) -> MatchResult
}

extension Matcher {
    @inline(__always)
    public func firstMatch(_ reply: Reply, scratch: any MatchScratch) -> MatchResult {
        firstMatch(reply, from: 0, scratch: scratch)
    }

    /// The chain (SPEC §4): matching rules in index order up to and including the first matching rule
    /// without the continue flag. Appends to `chain` (cleared first) and returns the first match.
    @discardableResult
    public func chain(_ reply: Reply, scratch: any MatchScratch, into chain: inout [Int]) -> MatchResult {
        chain.removeAll(keepingCapacity: true)
        let first = firstMatch(reply, from: 0, scratch: scratch)
        var current = first
        while current.ruleIndex >= 0 {
            chain.append(current.ruleIndex)
            guard ruleSet.rules[current.ruleIndex].continues else { break }
            current = firstMatch(reply, from: current.ruleIndex + 1, scratch: scratch)
        }
        return first
    }
}

/// How a backend is found by name and built: one line per backend in the registry.
public struct BackendDescriptor: Sendable {
    public var name: String
    public var summary: String
    public var make: @Sendable (RuleSet, MatcherOptions) throws(MatcherError) -> any Matcher

    public init(
        name: String,
        summary: String,
        make: @escaping @Sendable (RuleSet, MatcherOptions) throws(MatcherError) -> any Matcher
    ) {
        self.name = name
        self.summary = summary
        self.make = make
    }
}
