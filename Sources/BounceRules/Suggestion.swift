/// `", did you mean 'x'?"` when a known word is within two edits of `word` (ASCII case ignored), else the list of
/// known words, so an unknown key or element in any rule file points at what was meant.
func suggestion(_ word: String, _ known: [String]) -> String {
    let w = Array(word.lowercased().utf8)
    var best: (String, Int)?
    for k in known {
        let d = editDistance(w, Array(k.lowercased().utf8))
        if d <= 2, d < (best?.1 ?? Int.max) { best = (k, d) }
    }
    if let best { return ", did you mean '\(best.0)'?" }
    return " (known: \(known.joined(separator: ", ")))"
}

/// Levenshtein distance between two byte strings.
func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}
