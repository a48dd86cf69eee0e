// PLACEHOLDER: replaced by the real parser (being written now). Accepts only plain literals.
public enum RegexParser {
    public static func parse(_ source: [UInt8], options: RegexOptions) throws(RegexSyntaxError) -> RegexPattern {
        throw RegexSyntaxError(column: 1, reason: "regex parser not yet built")
    }
}
