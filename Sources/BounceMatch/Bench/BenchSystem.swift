#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Clock and memory probes for the benchmark, straight from the OS (no Foundation in the measured path).
public enum BenchSystem {
    /// Monotonic time in seconds.
    @inline(__always)
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// The process's peak resident set size in bytes (Linux `VmHWM`), nil where unknown.
    public static func peakResidentBytes() -> Int? {
        statusField("VmHWM:")
    }

    /// The current resident set size in bytes (Linux `VmRSS`).
    public static func residentBytes() -> Int? {
        statusField("VmRSS:")
    }

    /// Resets the peak RSS to the current RSS (Linux: writing 5 to `clear_refs`) so that each backend's
    /// peak is its own; returns false where the kernel does not allow it.
    @discardableResult
    public static func resetPeakResident() -> Bool {
        #if os(Linux)
        guard let f = fopen("/proc/self/clear_refs", "w") else { return false }
        defer { fclose(f) }
        return fputs("5", f) >= 0
        #else
        return false
        #endif
    }

    private static func statusField(_ name: String) -> Int? {
        #if os(Linux)
        guard let f = fopen("/proc/self/status", "r") else { return nil }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), f) != nil {
            let s = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard s.hasPrefix(name) else { continue }
            let digits = s.dropFirst(name.count).filter { $0.isNumber }
            return Int(digits).map { $0 * 1024 }
        }
        return nil
        #else
        return nil
        #endif
    }

    /// True when standard error is a terminal (the progress bar is only drawn then).
    public static var stderrIsTerminal: Bool { isatty(2) != 0 }

    /// Writes `s` to standard error unbuffered.
    public static func writeStderr(_ s: String) {
        var s = s
        // write(2) on descriptor 2: unbuffered, and no shared C `stderr` global under strict concurrency.
        s.withUTF8 { p in _ = write(2, p.baseAddress, p.count) }
    }
}
