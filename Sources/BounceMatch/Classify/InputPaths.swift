#if canImport(Glibc)
import Glibc
#endif

/// Expands input arguments the way an operator expects even when the shell did not (quoted globs, cron).
public enum InputPaths {
    /// Each argument with `*`, `?` or `[` is expanded with `glob(3)` (sorted); one without them, `-` (standard
    /// input), or a pattern that matches nothing is kept as it is, so opening it reports the problem.
    public static func expand(_ arguments: [String]) -> [String] {
        var out: [String] = []
        for arg in arguments {
            guard arg != "-", arg.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) else {
                out.append(arg)
                continue
            }
            var g = glob_t()
            defer { globfree(&g) }
            let rc = glob(arg, 0, nil, &g)
            guard rc == 0, g.gl_pathc > 0 else {
                out.append(arg)
                continue
            }
            for i in 0..<Int(g.gl_pathc) {
                if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
            }
        }
        return out
    }
}
