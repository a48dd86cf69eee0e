/// Hand-written SVG charts of benchmark results (no dependency): a bar chart of one report, or throughput
/// against rule count for a sweep.
public enum BenchChart {
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"]

    /// Horizontal bars of median replies/s per backend with min–max whiskers; a backend without a figure is
    /// drawn as a labelled empty row, so a missing bar is never mistaken for a slow one.
    public static func bars(_ report: BenchReport) -> String {
        let rowH = 28.0, left = 170.0, width = 760.0, plotW = width - left - 150, top = 50.0
        let height = top + rowH * Double(max(report.backends.count, 1)) + 40
        let maxRate = report.backends.compactMap { $0.repliesPerSecond?.max }.max() ?? 1
        var s = header(width: width, height: height)
        s += text(x: 10, y: 22, "Replies per second, \(report.inputName) (\(report.ruleCount) rules)", size: 15, weight: "bold")
        s += text(x: 10, y: 40, "median of \(report.repeats) samples, whiskers min–max; answers checked against \(report.reference)", size: 11, fill: "#555")
        for (i, f) in report.backends.enumerated() {
            let y = top + rowH * Double(i)
            s += text(x: left - 8, y: y + 18, f.backend, anchor: "end")
            if let r = f.repliesPerSecond {
                let w = plotW * r.median / maxRate
                s += "<rect x=\"\(fmt(left))\" y=\"\(fmt(y + 5))\" width=\"\(fmt(w))\" height=\"\(fmt(rowH - 10))\" fill=\"\(palette[i % palette.count])\"/>\n"
                let x0 = left + plotW * r.min / maxRate, x1 = left + plotW * r.max / maxRate
                s += "<line x1=\"\(fmt(x0))\" y1=\"\(fmt(y + rowH / 2))\" x2=\"\(fmt(x1))\" y2=\"\(fmt(y + rowH / 2))\" stroke=\"#222\"/>\n"
                s += text(x: left + max(w, x1 - left) + 6, y: y + 18, BenchFormat.number(r.median) + "/s", size: 11)
            } else {
                s += text(x: left + 4, y: y + 18, "no figure: \(f.verdict)", size: 11, fill: "#b00")
            }
        }
        let axisY = top + rowH * Double(report.backends.count) + 4
        s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(axisY))\" x2=\"\(fmt(left + plotW))\" y2=\"\(fmt(axisY))\" stroke=\"#888\"/>\n"
        s += text(x: left, y: axisY + 16, "0", size: 10, fill: "#555")
        s += text(x: left + plotW, y: axisY + 16, BenchFormat.number(maxRate) + "/s", size: 10, fill: "#555", anchor: "end")
        return s + "</svg>\n"
    }

    /// Median replies/s against rule count (both axes logarithmic), one line per backend; points where a
    /// backend had no figure are left out, so its line breaks there.
    public static func sweep(_ reports: [BenchReport], title: String = "Replies per second against rule count") -> String {
        let width = 760.0, height = 460.0, left = 80.0, right = 170.0, top = 50.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        let names = reports.flatMap { $0.backends.map(\.backend) }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let counts = reports.map { Double(max($0.ruleCount, 1)) }
        let rates = reports.flatMap { $0.backends.compactMap { $0.repliesPerSecond?.median } }.filter { $0 > 0 }
        let xMin = log10(counts.min() ?? 1), xMax = max(log10(counts.max() ?? 10), xMin + 1)
        let yMin = (log10(rates.min() ?? 1)).rounded(.down), yMax = max((log10(rates.max() ?? 10)).rounded(.up), yMin + 1)
        func px(_ n: Double) -> Double { left + plotW * (log10(n) - xMin) / (xMax - xMin) }
        func py(_ r: Double) -> Double { top + plotH * (1 - (log10(r) - yMin) / (yMax - yMin)) }
        var s = header(width: width, height: height)
        s += text(x: 10, y: 22, title, size: 15, weight: "bold")
        s += text(x: 10, y: 40, "median replies/s (log scale); backends without a correct answer get no point", size: 11, fill: "#555")
        s += "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(plotW))\" height=\"\(fmt(plotH))\" fill=\"none\" stroke=\"#888\"/>\n"
        var e = yMin
        while e <= yMax {
            let y = py(pow10(e))
            s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y))\" x2=\"\(fmt(left + plotW))\" y2=\"\(fmt(y))\" stroke=\"#ddd\"/>\n"
            s += text(x: left - 6, y: y + 4, BenchFormat.number(pow10(e)), size: 10, fill: "#555", anchor: "end")
            e += 1
        }
        for n in Set(counts).sorted() {
            s += text(x: px(n), y: top + plotH + 16, BenchFormat.grouped(Int(n)), size: 10, fill: "#555", anchor: "middle")
        }
        s += text(x: left + plotW / 2, y: height - 10, "rules", size: 11, anchor: "middle")
        for (i, name) in names.enumerated() {
            let color = palette[i % palette.count]
            let points = reports.compactMap { r -> (Double, Double)? in
                guard let f = r.backends.first(where: { $0.backend == name }), let m = f.repliesPerSecond?.median, m > 0 else { return nil }
                return (px(Double(max(r.ruleCount, 1))), py(m))
            }
            if points.count > 1 {
                let d = points.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " ")
                s += "<polyline points=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            }
            for p in points { s += "<circle cx=\"\(fmt(p.0))\" cy=\"\(fmt(p.1))\" r=\"3\" fill=\"\(color)\"/>\n" }
            let ly = top + 10 + 18 * Double(i)
            s += "<rect x=\"\(fmt(left + plotW + 12))\" y=\"\(fmt(ly - 9))\" width=\"12\" height=\"12\" fill=\"\(color)\"/>\n"
            s += text(x: left + plotW + 30, y: ly + 1, name, size: 11)
        }
        return s + "</svg>\n"
    }

    static func header(width: Double, height: Double) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" font-family=\"sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    }

    static func text(
        x: Double, y: Double, _ content: String, size: Int = 12, weight: String = "normal", fill: String = "#000", anchor: String = "start"
    ) -> String {
        "<text x=\"\(fmt(x))\" y=\"\(fmt(y))\" font-size=\"\(size)\" font-weight=\"\(weight)\" fill=\"\(fill)\" text-anchor=\"\(anchor)\">\(escape(content))</text>\n"
    }

    /// XML text escaping: the five predefined entities.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func fmt(_ x: Double) -> String { BenchFormat.fixed(x.isFinite ? x : 0, 1) }

    static func log10(_ x: Double) -> Double { BenchMath.log10(x) }

    static func pow10(_ e: Double) -> Double { BenchMath.pow10(e) }
}
