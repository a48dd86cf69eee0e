import CHyperscan
#if canImport(Glibc)
import Glibc
#endif

// Every call into libhs lives in this file, each with the reason it is sound.

/// One expression for `hs_compile_multi`: pattern bytes (no NUL), flags and id (the rule index).
struct HyperscanExpression {
    var bytes: [UInt8]
    var flags: UInt32
    var id: UInt32
}

/// Flag values, read once from the C header.
enum HyperscanFlag {
    static let caseless = UInt32(HS_FLAG_CASELESS)
    static let singleMatch = UInt32(HS_FLAG_SINGLEMATCH)
    static let allowEmpty = UInt32(HS_FLAG_ALLOWEMPTY)
    static let prefilter = UInt32(HS_FLAG_PREFILTER)
}

/// A compiled block-mode database whose match ids are rule indexes.
///
/// `@unchecked Sendable`: a database is immutable after compilation and Hyperscan allows scanning it from
/// many threads at once, each with its own scratch.
final class HyperscanDatabase: @unchecked Sendable {
    let database: OpaquePointer

    private init(database: OpaquePointer) { self.database = database }

    deinit {
        // SAFETY: the database was made by hs_compile_multi, is owned only here and freed once.
        hs_free_database(database)
    }

    /// What Hyperscan says about one expression alone: nil when it accepts it (with the minimum match
    /// width), or the reason it rejects it.
    static func check(_ bytes: [UInt8], flags: UInt32) -> (minWidth: UInt32?, rejection: String?) {
        guard !bytes.contains(0) else { return (nil, "the expression contains a NUL byte") }
        var info: UnsafeMutablePointer<hs_expr_info_t>?
        var error: UnsafeMutablePointer<hs_compile_error_t>?
        let cString = bytes.map { CChar(bitPattern: $0) } + [0]
        // SAFETY: `cString` is NUL-terminated and alive for the call; Hyperscan returns either `info`
        // (malloc'd, freed below with free) or `error` (freed with hs_free_compile_error).
        let rc = hs_expression_info(cString, flags, &info, &error)
        defer {
            if let info { free(info) }
            if let error { hs_free_compile_error(error) }
        }
        guard rc == HS_SUCCESS, let info else { return (nil, message(of: error) ?? "Hyperscan error \(rc)") }
        return (info.pointee.min_width, nil)
    }

    /// Compiles `expressions` into one block-mode database. On failure: the position in `expressions` of
    /// the expression at fault (-1 when Hyperscan names none) and Hyperscan's message.
    static func compile(_ expressions: [HyperscanExpression]) -> Result<HyperscanDatabase, HyperscanCompileFailure> {
        let count = expressions.count
        let cStrings = expressions.map { e -> UnsafeMutablePointer<CChar> in
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: e.bytes.count + 1)
            for (k, b) in e.bytes.enumerated() { p[k] = CChar(bitPattern: b) }
            p[e.bytes.count] = 0
            return p
        }
        defer { for p in cStrings { p.deallocate() } }
        let pointers: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
        let flags = expressions.map(\.flags)
        let ids = expressions.map(\.id)
        var database: OpaquePointer?
        var error: UnsafeMutablePointer<hs_compile_error_t>?
        // SAFETY: the three arrays hold `count` elements and, with the strings, live across the call;
        // Hyperscan copies what it needs. On failure `error` is ours to free.
        let rc = hs_compile_multi(pointers, flags, ids, UInt32(count), UInt32(HS_MODE_BLOCK), nil, &database, &error)
        defer { if let error { hs_free_compile_error(error) } }
        guard rc == HS_SUCCESS, let database else {
            return .failure(HyperscanCompileFailure(
                position: Int(error?.pointee.expression ?? -1),
                message: message(of: error) ?? "Hyperscan error \(rc)"
            ))
        }
        return .success(HyperscanDatabase(database: database))
    }

    /// The database's size in bytes, or nil when Hyperscan cannot say.
    var byteSize: Int? {
        var size = 0
        // SAFETY: `database` is valid while `self` lives; Hyperscan only writes `size`.
        return hs_database_size(database, &size) == HS_SUCCESS ? size : nil
    }

    private static func message(of error: UnsafeMutablePointer<hs_compile_error_t>?) -> String? {
        // SAFETY: `message` is a NUL-terminated string owned by the error, read before it is freed.
        guard let error, let m = error.pointee.message else { return nil }
        return String(cString: m)
    }
}

struct HyperscanCompileFailure: Error {
    var position: Int
    var message: String
}

/// Hyperscan scratch space for one thread (or the prototype the others are cloned from).
///
/// `@unchecked Sendable` for the prototype only: the matcher never scans with it, it only clones it, which
/// reads it; a clone is owned by one thread's `MatchScratch`, which the protocol forbids sharing.
final class HyperscanScratchSpace: @unchecked Sendable {
    let scratch: OpaquePointer

    /// A prototype big enough for every database in `databases`.
    init?(for databases: [HyperscanDatabase]) {
        var scratch: OpaquePointer?
        for db in databases {
            // SAFETY: `db` is a valid database; hs_alloc_scratch grows `scratch` (nil at first) in place.
            guard hs_alloc_scratch(db.database, &scratch) == HS_SUCCESS else { return nil }
        }
        guard let scratch else { return nil }
        self.scratch = scratch
    }

    private init(scratch: OpaquePointer) { self.scratch = scratch }

    /// The scratch's size in bytes, or nil when Hyperscan cannot say.
    var byteSize: Int? {
        var size = 0
        // SAFETY: `scratch` is valid while `self` lives; Hyperscan only reads it and writes `size`.
        return hs_scratch_size(scratch, &size) == HS_SUCCESS ? size : nil
    }

    /// A copy for another thread.
    func clone() -> HyperscanScratchSpace {
        var copy: OpaquePointer?
        // SAFETY: the prototype is only read; the copy is owned by the new object.
        guard hs_clone_scratch(scratch, &copy) == HS_SUCCESS, let copy else {
            fatalError("Hyperscan: out of memory cloning scratch")
        }
        return HyperscanScratchSpace(scratch: copy)
    }

    deinit {
        // SAFETY: allocated by hs_alloc_scratch or hs_clone_scratch, owned only here.
        hs_free_scratch(scratch)
    }
}

/// The scan's outcome, in the terms the matcher needs.
enum HyperscanScanOutcome {
    /// The whole subject was scanned, or the callback stopped the scan because nothing lower can match.
    case completed
    /// Hyperscan failed; nothing is known about the database's rules.
    case failed
}

/// Scans `length` bytes at `data` with `database`, reporting matches to `state.accept`.
///
/// Takes the raw handles and the state pointer, not their owners, so the per-reply path retains nothing.
@inline(__always)
func hyperscanScan(
    _ database: OpaquePointer, data: UnsafePointer<UInt8>, length: Int,
    scratch: OpaquePointer, state: UnsafeMutablePointer<HyperscanScanState>
) -> HyperscanScanOutcome {
    guard length <= Int(UInt32.max) else { return .failed }
    // SAFETY: `data` points at `length` readable bytes for the whole (synchronous) call; `database` and
    // `scratch` are kept alive by the matcher and the calling thread's scratch, which own them; `scratch`
    // belongs to the calling thread; the context is `state`, owned by that scratch and only used by the
    // callback during this call.
    let rc = data.withMemoryRebound(to: CChar.self, capacity: max(length, 1)) { chars in
        hs_scan(database, chars, UInt32(length), 0, scratch, hyperscanOnMatch, UnsafeMutableRawPointer(state))
    }
    return rc == HS_SUCCESS || rc == HS_SCAN_TERMINATED ? .completed : .failed
}

/// The C callback: a plain function, so no closure context is allocated per scan.
private func hyperscanOnMatch(
    id: UInt32, from: UInt64, to: UInt64, flags: UInt32, context: UnsafeMutableRawPointer?
) -> Int32 {
    // SAFETY: the context is always the `HyperscanScanState` pointer passed by `hyperscanScan`, allocated
    // and initialized once per scratch and alive for the scan.
    let state = context.unsafelyUnwrapped.assumingMemoryBound(to: HyperscanScanState.self)
    return state.accept(Int(id)) ? 1 : 0
}
