extension CodePattern {
    /// `550`, `5xx`, `55x` (`x` or `X` for any digit; the first position must be a digit 2-5 or `x`).
    /// Nil when malformed.
    public init?(parsing text: String) {
        let u = Array(text.utf8)
        guard u.count == 3 else { return nil }
        func digit(_ b: UInt8) -> UInt8?? {
            if b == UInt8(ascii: "x") || b == UInt8(ascii: "X") { return .some(nil) }
            let d = b &- 0x30
            return d <= 9 ? .some(d) : nil
        }
        guard let d0 = digit(u[0]), let d1 = digit(u[1]), let d2 = digit(u[2]) else { return nil }
        if let first = d0, first < 2 || first > 5 { return nil }
        self.init(digits: (d0, d1, d2))
    }
}

extension EnhancedCodePattern {
    /// `5.1.1`, `5.7.*`, `4.*.*` (class 2, 4, 5 or `*`; subject and detail 1-3 digits or `*`). Nil when malformed.
    public init?(parsing text: String) {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var values: [UInt16?] = []
        for part in parts {
            if part.elementsEqual("*".utf8) { values.append(nil); continue }
            guard (1...3).contains(part.count), part.allSatisfy({ $0 &- 0x30 <= 9 }) else { return nil }
            values.append(part.reduce(UInt16(0)) { $0 * 10 + UInt16($1 - 0x30) })
        }
        if let k = values[0], k != 2 && k != 4 && k != 5 { return nil }
        self.init(klass: values[0], subject: values[1], detail: values[2])
    }
}
