import CPCRE2

/// PCRE2 called directly (no backend code in between), as the reference for the regex-layer properties.
///
/// Compiled with `PCRE2_NO_AUTO_POSSESS` and `NEVER_UTF | NEVER_UCP`: PCRE2 10.42's auto-possessification
/// has a known bug with `\R`, and the generators leave `\R` out as well, so no answer here depends on it.
final class PCRE2Reference {
    enum Outcome: Equatable { case match(Range<Int>), noMatch, limit }

    let code: OpaquePointer
    let matchData: OpaquePointer
    let context: OpaquePointer

    /// nil when PCRE2 rejects the pattern.
    init?(_ pattern: [UInt8], caseless: Bool = false) {
        var err: Int32 = 0
        var offset = 0
        var options = UInt32(PCRE2_NO_AUTO_POSSESS) | UInt32(PCRE2_NEVER_UTF) | UInt32(PCRE2_NEVER_UCP)
        if caseless { options |= UInt32(PCRE2_CASELESS) }
        let compiled = pattern.withUnsafeBufferPointer { buf in
            // SAFETY: explicit length; PCRE2 copies what it needs.
            pcre2_compile_8(buf.baseAddress ?? UnsafePointer(bitPattern: 1)!, buf.count, options, &err, &offset, nil)
        }
        guard let compiled else { return nil }
        code = compiled
        // SAFETY: plain allocations owned by this object, freed in deinit.
        matchData = pcre2_match_data_create_from_pattern_8(compiled, nil)
        context = pcre2_match_context_create_8(nil)
        pcre2_set_match_limit_8(context, 10_000_000)
        pcre2_set_depth_limit_8(context, 100_000)
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
        pcre2_code_free_8(code)
    }

    /// The first match's span (the interpreter, not JIT, so the match limit always applies).
    func firstSpan(_ subject: [UInt8]) -> Outcome {
        let zero: [UInt8] = [0]
        let rc = subject.isEmpty
            ? zero.withUnsafeBufferPointer { pcre2_match_8(code, $0.baseAddress!, 0, 0, 0, matchData, context) }
            : subject.withUnsafeBufferPointer { pcre2_match_8(code, $0.baseAddress!, $0.count, 0, 0, matchData, context) }
        if rc == PCRE2_ERROR_NOMATCH { return .noMatch }
        guard rc >= 0 else { return .limit }
        // SAFETY: a successful match sets pair 0 of the ovector.
        let ov = pcre2_get_ovector_pointer_8(matchData)!
        let start = Int(ov[0]), end = Int(ov[1])
        // `\K` can end a match before its start; no generated pattern uses it.
        return end >= start ? .match(start..<end) : .limit
    }
}
