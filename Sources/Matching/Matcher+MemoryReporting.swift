/// A backend that can say how much memory its compiled rule set holds (`hs_database_size`, PCRE2
/// `PCRE2_INFO_SIZE` + `PCRE2_INFO_JITSIZE`, automaton tables). Optional, so adopting it never changes
/// `Matcher`; `bouncematch bench` shows the figure where a backend offers it.
public protocol MemoryReporting {
    /// Bytes held by the compiled form of the rule set (not counting scratch), or nil when unknown.
    var memoryFootprint: Int? { get }
}
