import HyperscanMatcher
import Matching
import PCRE2Matcher

/// The registry of matcher backends. Tests, the CLI and the benchmarks iterate it; adding a backend is
/// one new type conforming to `Matcher` plus one line here.
public enum Backends {
    public static let all: [BackendDescriptor] = [
        NaiveMatcher.descriptor,
        AhoCorasickMatcher.descriptor,
        PCRE2Matcher.descriptor,
        PCRE2PrefilteredMatcher.descriptor,
        HyperscanMatcher.descriptor,
    ]

    /// The reference every other backend is compared with.
    public static let reference: BackendDescriptor = NaiveMatcher.descriptor

    public static var names: [String] { all.map(\.name) }

    public static func named(_ name: String) -> BackendDescriptor? {
        all.first { $0.name == name }
    }
}
