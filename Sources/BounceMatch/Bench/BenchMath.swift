#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C math library's log10 and pow, for the log-scale charts.
enum BenchMath {
    static func log10(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        #if canImport(Glibc)
        return Glibc.log10(x)
        #else
        return Darwin.log10(x)
        #endif
    }

    static func pow10(_ e: Double) -> Double {
        #if canImport(Glibc)
        return Glibc.pow(10, e)
        #else
        return Darwin.pow(10, e)
        #endif
    }
}
