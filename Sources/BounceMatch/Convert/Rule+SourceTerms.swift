import BounceRules

extension Rule {
    /// The rule described in its source format's own terms, for `bouncematch test`: where it is and what the
    /// product calls it (PowerMTA list and bounce type, Cognos behaviour and resends, KumoMTA class, MailerQ
    /// trigger and linked actions, Altcraft bounce type and ISP).
    public var sourceTerms: String {
        let d = Dictionary(details.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        let a = Dictionary(actions.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        let place = "\(location.file) line \(location.line)"
        let actionText = actions.map(\.description).joined(separator: " ")
        switch format {
        case "powermta":
            if d["section"] == "bounce-category-patterns" {
                return "PowerMTA <bounce-category-patterns> entry at \(place): category \(label)"
            }
            let what = a["type"] != nil ? "bounce type=\(a["type"]!)" : (a["mode"] != nil ? "mode=\(a["mode"]!)" : actionText)
            let used = d["list-used"] == "false" ? " (the list is never applied by a 'smtp-pattern-list' line in this file)" : ""
            return "PowerMTA smtp-pattern-list \(d["list"] ?? "?") (\(d["form"] ?? "block") form) at \(place): \(what)\(actionText != what ? " [\(actionText)]" : "")\(used)"
        case "cognos":
            if d["default"] == "true" { return "Cognos <defaultSmtpBehaviour> at \(place): \(actionText)" }
            var parts = ["behaviour \(d["behaviour"] ?? label)"]
            if let n = a["resends.number"] { parts.append("resends \(n == "-1" ? "forever" : n)" + (a["resends.delaySeconds"].map { " every \($0)s" } ?? "")) }
            if let k = a["keepMail"] { parts.append("keepMail=\(k)") }
            if actions.contains(where: { $0.name.hasPrefix("failMail") }) { parts.append("failMail") }
            if let e = d["smtpError"] { parts.append("smtpError \(e)") }
            return "Cognos smtpRule at \(place): " + parts.joined(separator: ", ")
        case "kumomta":
            if d["section"] == "bounce-classifier" { return "KumoMTA bounce classifier \(name) at \(place): class \(label)" }
            return "KumoMTA traffic-shaping automation \(d["automation"] ?? "?") (scope \(d["scope"] ?? "default")) at \(place): \(actionText)"
        case "mailerq":
            let type = d["type"] == "flood-pattern" ? "flood pattern" : "response-pattern trigger"
            let linked = d["linked-actions"].map { ", linked actions \($0)" } ?? ""
            return "MailerQ \(type) \"\(name)\" at \(place)\(priority.map { ", priority \($0)" } ?? "")\(continues ? ", evaluates other patterns too" : "")\(linked): \(actionText)"
        case "altcraft":
            let meaning = ["HB": "hard bounce", "SB": "soft bounce", "B": "bounce"][label] ?? label
            return "Altcraft bounce pattern \(d["id"].map { "id \($0) " } ?? "")\"\(name)\" at \(place): type \(label) (\(meaning)), ISP \(d["isp"] ?? "All ISPs"), origin \(d["origin"] ?? "custom")"
        default:
            return "\(format) rule at \(place)\(label.isEmpty ? "" : ": label \(label)")\(actionText.isEmpty ? "" : ", actions \(actionText)")"
        }
    }
}
