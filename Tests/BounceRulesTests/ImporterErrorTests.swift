import BounceRules
import Testing

/// Every broken fixture gives exactly these errors (line:column and reason), and no rule from a bad entry.
@Suite struct ImporterErrorTests {
    @Test func brokenPowermtaHash() {
        let c = ImporterFixtures.parse("broken-powermta-hash.conf", format: "powermta")
        let expected: [String] = [
            "2:11 regex is not closed on this line ('#' starts a comment even inside a pattern; write \\x23 in a regex to match '#')",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

    @Test func brokenPowermtaMultiline() {
        let c = ImporterFixtures.parse("broken-powermta-multiline.conf", format: "powermta")
        let expected: [String] = [
            "2:11 regex is not closed on this line (a pattern cannot span lines)",
            "3:5 expected a pattern: \"STRING\", /regex/ or reply /regex/ (inside smtp-pattern-list broken)",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

    @Test func brokenPowermtaUnclosed() {
        let c = ImporterFixtures.parse("broken-powermta-unclosed.conf", format: "powermta")
        let expected: [String] = [
            "1:1 smtp-pattern-list open { … } has no closing '}'",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 1)
    }

    @Test func brokenPowermtaEntries() {
        let c = ImporterFixtures.parse("broken-powermta-entries.conf", format: "powermta")
        let expected: [String] = [
            "2:5 the pattern has no action after it (e.g. bounce type=bad-mailbox, retry-after=30m, mode=backoff)",
            "3:5 the pattern has no action after it (e.g. bounce type=bad-mailbox, retry-after=30m, mode=backoff)",
            "4:5 empty string pattern",
            "5:5 expected a pattern: \"STRING\", /regex/ or reply /regex/ (inside smtp-pattern-list x)",
            "6:8 unexpected text right after the regex (put a space before its actions)",
            "7:11 bad action '=oops' (expected key=value)",
            "8:1 unexpected </domain> inside smtp-pattern-list x",
            "10:1 </domain> closes a block that was never opened",
            "12:5 a bounce-category pattern needs a category after it",
            "13:11 a bounce-category pattern takes one category, found more",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

    @Test func brokenMailerq() {
        let c = ImporterFixtures.parse("broken-mailerq.json", format: "mailerq")
        let expected: [String] = [
            "18:3 unknown top-level key 'extra' (known: mailerq, responsePatterns, floodPatterns)",
            "15:5 a flood pattern needs 'pauseSeconds' and/or 'reducedCapacitySeconds'",
            "16:84 'pauseSeconds' must be seconds ≥ 0",
            "16:102 unknown key 'maxConnection' in 'throttle', did you mean 'maxConnections'?",
            "10:30 'result' must be \"fail\" or \"retry\", found 'bounce'",
            "11:7 an action needs an 'id' that triggers link to",
            "4:46 unknown key 'patern' in a trigger, did you mean 'pattern'?",
            "4:7 missing 'pattern'",
            "5:37 unknown pattern kind 'glob' (expected substring, exact, wildcard, regex)",
            "6:78 trigger links action 'nope', which 'responsePatterns.actions' does not define",
            "7:71 bad IP address or CIDR block '300.1.1.1' (expected e.g. 192.0.2.1 or 192.0.2.0/24)",
            "7:97 'priority' must be an integer, not a string",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

    @Test func brokenMailerqSyntax() {
        let c = ImporterFixtures.parse("broken-mailerq-syntax.json", format: "mailerq")
        let expected: [String] = [
            "3:19 JSON syntax error: did not find expected ',' or '}'",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

    @Test func brokenAltcraft() {
        let c = ImporterFixtures.parse("broken-altcraft.json", format: "altcraft")
        let expected: [String] = [
            "3:35 unknown type 'XB' (expected HB, SB or B: Hard bounce, Soft bounce, Bounce)",
            "4:47 unknown ISP 'nowhere' (define it under \"isps\", or use \"All ISPs\"; known: aol, apple, comcast, gmail, gmx, google, mail.ru, microsoft, orange, outlook, t-online, web.de, yahoo, yandex)",
            "5:69 'origin' must be \"default\" or \"custom\", found 'shipped'",
            "6:5 a bounce pattern needs a 'pattern'",
            "7:56 'pattern' must not be empty",
            "8:42 unknown key 'ispp' in a bounce pattern, did you mean 'isp'?",
            "8:5 a bounce pattern needs a 'type' (HB, SB or B)",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

    @Test func brokenCognosMalformed() {
        let c = ImporterFixtures.parse("broken-cognos-malformed.xml", format: "cognos")
        let expected: [String] = [
            "4:14 XML syntax error: closing tag does not match the open element (libxml2 error 76)",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

    @Test func brokenCognosRules() {
        let c = ImporterFixtures.parse("broken-cognos-rules.xml", format: "cognos")
        let expected: [String] = [
            "3:16 <errorCode> must be a three-digit SMTP code 200-599, found '55'",
            "4:29 <resends number=\"many\">: expected an integer ≥ -1 (-1 resends forever)",
            "3:5 <smtpError> selects nothing: give <errorCode>, <transport>true</transport> or <invalidRecipients>true</invalidRecipients>",
            "6:3 <smtpRule> has no <smtpBehaviour name=\"…\">",
            "11:29 <keepMail> must be true or false, found 'yes'",
            "10:5 <smtpError> selects nothing: give <errorCode>, <transport>true</transport> or <invalidRecipients>true</invalidRecipients>",
            "14:5 unknown element <smtpEror>, did you mean 'smtpError'?",
            "14:15 <errorCode> cannot stand inside <smtpEror> (expected inside <smtpError>)",
            "15:5 unknown attribute 'colour' on <smtpBehaviour> (known: name)",
            "15:42 <resends delaySeconds=\"-5\">: expected a whole number of seconds ≥ 0",
            "13:3 <smtpRule> has no <smtpError> (it would never apply)",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

    @Test func brokenCognosEntity() {
        let c = ImporterFixtures.parse("broken-cognos-entity.xml", format: "cognos")
        let expected: [String] = [
            "2:1 DTDs and entity declarations are not allowed in an smtpRules file",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

    @Test func brokenKumomtaEscape() {
        let c = ImporterFixtures.parse("broken-kumomta-escape.toml", format: "kumomta")
        let expected: [String] = [
            "2:28 TOML: invalid escape '\\.' in a string (TOML knows \\b \\t \\n \\f \\r \\e \\\" \\\\ \\uXXXX \\UXXXXXXXX; write a regex backslash as \\\\ or use a '''literal''' string)",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

    @Test func brokenKumomtaUnclosed() {
        let c = ImporterFixtures.parse("broken-kumomta-unclosed.toml", format: "kumomta")
        let expected: [String] = [
            "2:16 TOML: string is not closed on this line (use \"\"\" or ''' for multi-line strings)",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

    @Test func brokenKumomtaDuplicate() {
        let c = ImporterFixtures.parse("broken-kumomta-duplicate.toml", format: "kumomta")
        let expected: [String] = [
            "3:1 TOML: duplicate key 'A' (first at 2:1)",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

    @Test func brokenKumomtaFloat() {
        let c = ImporterFixtures.parse("broken-kumomta-float.toml", format: "kumomta")
        let expected: [String] = [
            "2:11 TOML: floats and dates are not supported by this TOML subset",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

    @Test func brokenKumomtaClassifier() {
        let c = ImporterFixtures.parse("broken-kumomta-classifier.toml", format: "kumomta")
        let expected: [String] = [
            "4:2 unexpected top-level key 'other' in a bounce classifier file (it holds only [rules])",
            "2:11 class 'A': item 2 must be a regex string, not an integer",
            "2:14 class 'A': empty regex (it would match every reply)",
            "3:5 class 'B' must be a list of regex strings, not a string",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 1)
    }

    @Test func brokenKumomtaShaping() {
        let c = ImporterFixtures.parse("broken-kumomta-shaping.toml", format: "kumomta")
        let expected: [String] = [
            "4:1 unknown automation key 'durration', did you mean 'duration'?",
            "1:1 automation rule has no 'duration'",
            "7:15 each 'regex' item must be a string, not an integer",
            "8:10 an action must be a name like \"Suspend\" or one {Kind=…} pair",
            "6:1 automation rule has no 'duration'",
        ]
        #expect(ImporterFixtures.renderErrors(c.errors) == expected)
        #expect(c.rules.count == 0)
    }

}
