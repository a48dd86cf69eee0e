import BounceRules
import Testing

@Test func dumpAll() {
    let files: [(String, String)] = [
        ("powermta-block.conf", "powermta"), ("powermta-tags.conf", "powermta"), ("mailerq.json", "mailerq"),
        ("altcraft.json", "altcraft"), ("cognos-smtprules.xml", "cognos"), ("kumomta-bounces.toml", "kumomta"),
        ("kumomta-shaping.toml", "kumomta"),
        ("broken-powermta-hash.conf", "powermta"), ("broken-powermta-multiline.conf", "powermta"),
        ("broken-powermta-unclosed.conf", "powermta"), ("broken-powermta-entries.conf", "powermta"),
        ("broken-mailerq.json", "mailerq"), ("broken-mailerq-syntax.json", "mailerq"), ("broken-altcraft.json", "altcraft"),
        ("broken-cognos-malformed.xml", "cognos"), ("broken-cognos-rules.xml", "cognos"), ("broken-cognos-entity.xml", "cognos"),
        ("broken-kumomta-escape.toml", "kumomta"), ("broken-kumomta-unclosed.toml", "kumomta"),
        ("broken-kumomta-duplicate.toml", "kumomta"), ("broken-kumomta-float.toml", "kumomta"),
        ("broken-kumomta-classifier.toml", "kumomta"), ("broken-kumomta-shaping.toml", "kumomta"),
    ]
    for (f, fmt) in files {
        let c = ImporterFixtures.parse(f, format: fmt)
        print("=== \(f)")
        for r in c.rules { print("R " + ImporterFixtures.render(r)) }
        for e in ImporterFixtures.renderErrors(c.errors) { print("E " + e) }
        for i in c.isps { print("I \(i.name) \(i.domains) \(i.location)") }
    }
}
