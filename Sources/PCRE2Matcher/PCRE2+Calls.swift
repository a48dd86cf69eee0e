import CPCRE2
import Matching

// Every call into libpcre2-8 lives in this file, each with the reason it is sound.

/// How one rule's pattern is handed to `pcre2_compile`.
package enum PCRE2Source: Sendable {
    /// A regex rule's original bytes; `caseless` sets `PCRE2_CASELESS` (inline `(?-i)` still applies).
    case regex([UInt8], caseless: Bool)
    /// A literal (`PCRE2_LITERAL`); `whole` anchors it at both ends of the target (exact rules).
    case literal([UInt8], caseless: Bool, whole: Bool)
    /// A pattern printed from the AST: everything explicit, compiled with no matching flags.
    case printed([UInt8])
}

/// The answer of one PCRE2 match attempt.
package enum PCRE2Outcome: Sendable {
    case match
    case noMatch
    /// A limit was hit (match, depth, heap, JIT stack) or PCRE2 failed: the rule is undecided for this reply.
    case undecided
}

/// Compiled PCRE2 codes, one per rule index (nil where a rule has no code).
///
/// `@unchecked Sendable`: the codes are never mutated after `init`, and PCRE2 allows one compiled code to
/// be matched from many threads as long as each thread brings its own match data and JIT stack.
package final class PCRE2Program: @unchecked Sendable {
    package let codes: [OpaquePointer?]

    /// Compiles `sources[i]` for every non-nil entry; throws on the first pattern PCRE2 rejects.
    package init(sources: [PCRE2Source?], backend: String) throws(MatcherError) {
        var codes: [OpaquePointer?] = []
        codes.reserveCapacity(sources.count)
        for (index, source) in sources.enumerated() {
            guard let source else { codes.append(nil); continue }
            switch PCRE2Program.compile(source) {
            case .success(let code):
                codes.append(code)
            case .failure(let failure):
                // SAFETY: every code in `codes` came from pcre2_compile_8 and is freed exactly once here.
                for case let code? in codes { pcre2_code_free_8(code) }
                throw MatcherError(
                    backend: backend, ruleIndex: index,
                    reason: "PCRE2 rejects the pattern at offset \(failure.offset): \(failure.message)"
                )
            }
        }
        self.codes = codes
    }

    deinit {
        // SAFETY: the codes are owned by this object only; no scratch outlives the matcher that made it.
        for case let code? in codes { pcre2_code_free_8(code) }
    }

    private struct CompileFailure: Error {
        var message: String
        var offset: Int
    }

    private static func compile(_ source: PCRE2Source) -> Result<OpaquePointer, CompileFailure> {
        let bytes: [UInt8]
        var options: UInt32
        // Replies are bytes: UTF and UCP stay off even if a pattern asks for them with (*UTF) or (*UCP).
        let neverUnicode = UInt32(PCRE2_NEVER_UTF) | UInt32(PCRE2_NEVER_UCP)
        switch source {
        case .regex(let b, let caseless):
            bytes = b
            options = neverUnicode | (caseless ? UInt32(PCRE2_CASELESS) : 0)
        case .literal(let b, let caseless, let whole):
            // PCRE2_LITERAL allows no NEVER_* options; a literal cannot switch UTF on anyway.
            bytes = b
            options = UInt32(PCRE2_LITERAL) | (caseless ? UInt32(PCRE2_CASELESS) : 0)
            if whole { options |= UInt32(PCRE2_ANCHORED) | UInt32(PCRE2_ENDANCHORED) }
        case .printed(let b):
            bytes = b
            options = neverUnicode
        }
        var errorCode: Int32 = 0
        var errorOffset = 0
        let code = bytes.withUnsafeBufferPointer { buf -> OpaquePointer? in
            // SAFETY: PCRE2 reads exactly `buf.count` bytes (an explicit length, so NUL bytes are fine) and
            // copies what it needs into the compiled code; a zero-length pattern may come with any pointer.
            let base = buf.baseAddress ?? UnsafePointer(bitPattern: 1)!
            return pcre2_compile_8(base, buf.count, options, &errorCode, &errorOffset, nil)
        }
        guard let code else {
            return .failure(CompileFailure(message: errorMessage(errorCode), offset: errorOffset))
        }
        // SAFETY: `code` is a valid compiled pattern. A JIT failure (e.g. no JIT on this CPU) leaves the code
        // usable by the interpreter, which pcre2_match falls back to, so the result is deliberately ignored.
        _ = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE))
        return .success(code)
    }

    /// Whether rule `rule`'s code was JIT-compiled (otherwise PCRE2's interpreter runs it: same answers, slower).
    package func isJITCompiled(rule: Int) -> Bool {
        guard let code = codes[rule] else { return false }
        var size = 0
        // SAFETY: PCRE2_INFO_JITSIZE writes one size_t into `size`.
        return pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_JITSIZE), &size) == 0 && size > 0
    }

    /// Bytes held by the compiled codes: `PCRE2_INFO_SIZE` plus `PCRE2_INFO_JITSIZE` of each.
    package var byteSize: Int {
        var total = 0
        for case let code? in codes {
            var size = 0, jit = 0
            // SAFETY: both queries write one size_t into their argument; `code` is alive while `self` is.
            if pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_SIZE), &size) == 0 { total += size }
            if pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_JITSIZE), &jit) == 0 { total += jit }
        }
        return total
    }

    /// PCRE2's own text for an error code.
    package static func errorMessage(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        // SAFETY: the buffer is 256 bytes and PCRE2 writes at most that many, NUL-terminated.
        let n = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return n < 0 ? "PCRE2 error \(code)" : String(decoding: buffer[0..<Int(n)], as: UTF8.self)
    }

    /// Matches rule `rule`'s code against `line[range]`. The slice is the whole subject, so `^` and
    /// lookbehind cannot see bytes before it.
    @inline(__always)
    package func match(
        rule: Int, in line: UnsafeBufferPointer<UInt8>, range: Range<Int>, state: PCRE2MatchState
    ) -> PCRE2Outcome {
        guard let code = codes[rule] else { return .noMatch }
        let subject = line.baseAddress.map { $0 + range.lowerBound } ?? UnsafePointer(state.emptySubject)
        // SAFETY: `subject` points at `range.count` readable bytes of the reply (or at the scratch's own
        // byte when the line is empty); match data, context and JIT stack belong to this thread's scratch.
        let rc = pcre2_match_8(code, subject, range.count, 0, 0, state.matchData, state.matchContext)
        if rc >= 0 { return .match }
        return rc == PCRE2_ERROR_NOMATCH ? .noMatch : .undecided
    }
}

/// One thread's PCRE2 state: match data, a match context carrying the limits, and a JIT stack.
package final class PCRE2MatchState {
    let matchData: OpaquePointer
    let matchContext: OpaquePointer
    let jitStack: OpaquePointer?
    /// A readable byte to pass as the subject of an empty line, whose array has no storage.
    let emptySubject: UnsafeMutablePointer<UInt8>

    package init(options: MatcherOptions) {
        // SAFETY: creation with the default (malloc) general context; failure means out of memory, which
        // Swift treats as fatal everywhere else too.
        guard let data = pcre2_match_data_create_8(1, nil), let context = pcre2_match_context_create_8(nil) else {
            fatalError("PCRE2: out of memory creating match data")
        }
        matchData = data
        matchContext = context
        // SAFETY: `context` is valid; the limits only lower how much work one match may do.
        pcre2_set_match_limit_8(context, options.pcreMatchLimit)
        pcre2_set_depth_limit_8(context, options.pcreDepthLimit)
        // SAFETY: the stack is owned by this state and outlives every match that uses `context`.
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
        emptySubject = .allocate(capacity: 1)
        emptySubject.initialize(to: 0)
    }

    deinit {
        // SAFETY: each object was created in init and is freed once; nothing else holds them.
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(matchContext)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        emptySubject.deallocate()
    }
}
