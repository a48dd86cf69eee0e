/// Minimal JSON text building for `--output jsonl` and `--json`: strings are escaped byte-exactly, and bytes
/// that are not valid UTF-8 become U+FFFD so every line stays valid JSON.
public enum JSON {
    public static func string(_ s: String) -> String {
        doubleQuoted(s) { $0 < 0x20 || $0 == 0x7F }
    }

    public static func string(bytes: some Sequence<UInt8>) -> String {
        string(String(decoding: Array(bytes), as: UTF8.self))
    }

    /// An object from ordered key/raw-JSON-value pairs.
    public static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    public static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
}

/// `s` in double quotes with the escapes JSON and YAML share: `\"`, `\\`, `\n`, `\r`, `\t`, and `\u` plus four
/// lowercase hex digits for every other scalar `needsEscape` picks (callers pick only scalars below U+10000).
func doubleQuoted(_ s: String, needsEscape: (UInt32) -> Bool) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if needsEscape(u.value) {
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}
