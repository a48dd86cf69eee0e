import BounceRules
import Testing

/// Each fixture written from the seed documents imports into exactly these rules: every field of every rule,
/// in order (rendered by `ImporterFixtures.render`).
@Suite struct ImporterFixtureTests {
    @Test func importPowermtaBlock() {
        let c = ImporterFixtures.parse("powermta-block.conf", format: "powermta")
        #expect(c.errors.isEmpty, "\(c.errors)")
        let expected: [String] = [
            "6:5 @6:6 substring/line/i [mailbox unavailable] name=powermta-block.conf:6 label=bad-mailbox actions={bounce type=bad-mailbox} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "7:5 @7:6 substring/line/i [user unknown] name=powermta-block.conf:7 label=bad-mailbox actions={bounce type=bad-mailbox} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "8:5 @8:6 substring/line/i [does not exist] name=powermta-block.conf:8 label=bad-mailbox actions={bounce type=bad-mailbox} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "9:5 @9:6 substring/line/i [invalid address] name=powermta-block.conf:9 label=bad-mailbox actions={bounce type=bad-mailbox} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "10:5 @10:6 substring/line/i [no such user] name=powermta-block.conf:10 label=bad-mailbox actions={bounce type=bad-mailbox} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "11:5 @11:6 substring/line/i [account has been disabled] name=powermta-block.conf:11 label=bad-mailbox actions={bounce type=bad-mailbox} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "12:5 @12:6 substring/line/i [account suspended] name=powermta-block.conf:12 label=bad-mailbox actions={bounce type=bad-mailbox} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "15:5 @15:6 substring/line/i [domain not found] name=powermta-block.conf:15 label=bad-domain actions={bounce type=bad-domain} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "16:5 @16:6 substring/line/i [host not found] name=powermta-block.conf:16 label=bad-domain actions={bounce type=bad-domain} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "17:5 @17:6 substring/line/i [no mx record] name=powermta-block.conf:17 label=bad-domain actions={bounce type=bad-domain} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "20:5 @20:6 substring/line/i [spam detected] name=powermta-block.conf:20 label=spam actions={bounce type=spam} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "21:5 @21:6 substring/line/i [message rejected as spam] name=powermta-block.conf:21 label=spam actions={bounce type=spam} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "22:5 @22:6 substring/line/i [content policy violation] name=powermta-block.conf:22 label=spam actions={bounce type=spam} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "25:5 @25:6 substring/line/i [over quota] name=powermta-block.conf:25 label=quota actions={bounce type=quota} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "26:5 @26:6 substring/line/i [mailbox full] name=powermta-block.conf:26 label=quota actions={bounce type=quota} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "27:5 @27:6 substring/line/i [storage limit exceeded] name=powermta-block.conf:27 label=quota actions={bounce type=quota} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "30:5 @30:6 substring/line/i [greylisted] name=powermta-block.conf:30 label= actions={retry-after=30m} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "31:5 @31:6 substring/line/i [try again later] name=powermta-block.conf:31 label= actions={retry-after=20m} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "32:5 @32:6 substring/line/i [please retry] name=powermta-block.conf:32 label= actions={retry-after=25m} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "35:5 @35:6 substring/line/i [too many connections] name=powermta-block.conf:35 label= actions={retry-after=60m max-smtp-out=2} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "36:5 @36:6 substring/line/i [rate limit exceeded] name=powermta-block.conf:36 label= actions={retry-after=45m} details={section=smtp-pattern-list list=custom-isp-patterns form=block list-used=true}",
            "41:5 @41:6 substring/line/i [The email account that you tried to reach does not exist] name=powermta-block.conf:41 label=bad-mailbox actions={bounce type=bad-mailbox} details={section=smtp-pattern-list list=precise-patterns form=block list-used=false}",
            "42:5 @42:6 substring/line/i [does not exist] name=powermta-block.conf:42 label=bad-mailbox actions={bounce type=bad-mailbox} details={section=smtp-pattern-list list=precise-patterns form=block list-used=false}",
            "43:5 @43:6 substring/line/i [unknown] name=powermta-block.conf:43 label=bad-mailbox actions={bounce type=bad-mailbox} details={section=smtp-pattern-list list=precise-patterns form=block list-used=false}",
        ]
        let got = c.rules.map(ImporterFixtures.render)
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) { #expect(g == e) }
    }

    @Test func importPowermtaTags() {
        let c = ImporterFixtures.parse("powermta-tags.conf", format: "powermta")
        #expect(c.errors.isEmpty, "\(c.errors)")
        let expected: [String] = [
            "7:5 @7:12 regex/line/i [421 .* SERVICE NOT AVAILABLE] name=powermta-tags.conf:7 label=backoff actions={mode=backoff} details={section=smtp-pattern-list list=backoff-list form=tag list-used=true}",
            "8:5 @8:12 regex/line/i [^421 .* too many errors] name=powermta-tags.conf:8 label=backoff actions={mode=backoff} details={section=smtp-pattern-list list=backoff-list form=tag list-used=true}",
            "9:5 @9:12 regex/line/i [\\[TS01\\] Messages from] name=powermta-tags.conf:9 label=backoff actions={mode=backoff} details={section=smtp-pattern-list list=backoff-list form=tag list-used=true}",
            "10:5 @10:12 regex/line/i [(?-i)RL000\\d+] name=powermta-tags.conf:10 label=backoff actions={mode=backoff} details={section=smtp-pattern-list list=backoff-list form=tag list-used=true}",
            "11:5 @11:12 regex/line/i [ticket \\x23\\d+] name=powermta-tags.conf:11 label=backoff actions={mode=backoff} details={section=smtp-pattern-list list=backoff-list form=tag list-used=true}",
            "15:5 @15:12 substring/line/i [quoted in tag form] name=powermta-tags.conf:15 label=normal actions={mode=normal} details={section=smtp-pattern-list list=unused-list form=tag list-used=false}",
            "23:5 @23:6 regex/line/i [spam] name=powermta-tags.conf:23 label=spam-related actions={} details={section=bounce-category-patterns list=bounce-category-patterns}",
            "24:5 @24:6 regex/line/i [\\bvirus\\b] name=powermta-tags.conf:24 label=virus-related actions={} details={section=bounce-category-patterns list=bounce-category-patterns}",
            "25:5 @25:6 regex/line/i [mailbox +(is +)?full] name=powermta-tags.conf:25 label=quota-issues actions={} details={section=bounce-category-patterns list=bounce-category-patterns}",
            "26:5 @26:6 regex/line/i [^[45]\\.4\\.4] name=powermta-tags.conf:26 label=routing-errors actions={} details={section=bounce-category-patterns list=bounce-category-patterns}",
        ]
        let got = c.rules.map(ImporterFixtures.render)
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) { #expect(g == e) }
    }

    @Test func importMailerq() {
        let c = ImporterFixtures.parse("mailerq.json", format: "mailerq")
        #expect(c.errors.isEmpty, "\(c.errors)")
        let expected: [String] = [
            "4:5 @7:19 exact/text/i [Greylisted for 5 minutes] name=General: Greylisted for 5 minutes label=flood continue actions={pause=300 reduced-capacity-duration=60 throttle.maxConnections=2 throttle.maxMessagesPerMinute=30} details={type=flood-pattern}",
            "12:5 @17:19 regex/line/cs [Messages from your IP \\(192\\.168\\.2\\.\\d{1,3}\\) are temporarily rejected] name=Hotmail: IP blacklisted label=flood continue domains=hotmail.com,*.outlook.com ips=192.168.2.0/24 actions={pause=60 reduced-capacity-duration=60 throttle.maxConnections=1 throttle.maxMessagesPerConnection=5 throttle.maxMessagesPerSecond=1 throttle.maxMessagesPerHour=500 throttle.maxMessagesPerDay=5000} details={type=flood-pattern}",
            "29:5 @32:19 wildcard/text/i [Messages from your IP (*) are temporarily rejected] name=Wildcard rejection label=flood continue actions={pause=60} details={type=flood-pattern}",
            "35:5 @38:19 substring/line/i [Message deferred: please try again in a few minutes] name=Deferred label=flood continue actions={reduced-capacity-duration=120} details={type=flood-pattern}",
            "44:7 @49:21 substring/line/i [mailbox unavailable] name=Mailbox unavailable label=fail prio=10 continue domains=gmail.com ips=192.0.2.10/32,2001:db8::/32 actions={action=tag-unavailable name=Tag and mark property.bounce=hard property.score=3 tag=mailbox-unavailable action=give-up result=fail} details={type=response-pattern linked-actions=tag-unavailable,give-up}",
            "54:7 @57:21 regex/line/i [^550 .*try again] name=Falsely permanent label=retry prio=5 actions={action=reroute ip.set=192.0.2.20 ip.add=192.0.2.21 ip.remove=192.0.2.10 result=retry retry-interval=900} details={type=response-pattern linked-actions=reroute}",
        ]
        let got = c.rules.map(ImporterFixtures.render)
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) { #expect(g == e) }
    }

    @Test func importAltcraft() {
        let c = ImporterFixtures.parse("altcraft.json", format: "altcraft")
        #expect(c.errors.isEmpty, "\(c.errors)")
        let expected: [String] = [
            "10:5 @10:104 wildcard/text/cs [*blocked*] name=Rambler block label=B isps=Rambler actions={message-status=undelivered retry=false} details={id=4 message=Blocked by Rambler origin=custom isp=Rambler}",
            "11:5 @11:137 exact/text/i [try again later] name=Yandex deferral (origin omitted: custom) label=SB isps=yandex actions={subscription=soft-bounced retry=true} details={id=5 message=Yandex deferral origin=custom isp=yandex}",
            "9:5 @9:66 substring/line/i [mailbox full] name=Mailbox full label=SB actions={subscription=soft-bounced retry=true} details={id=3 message=Over quota origin=custom isp=All ISPs}",
            "8:5 @8:107 regex/line/i [5\\.1\\.1 The email account that you tried to reach does not exist] name=Gmail 5.1.1 label=HB isps=gmail actions={subscription=hard-bounced retry=false} details={id=2 message=Gmail: no such account origin=default isp=gmail}",
            "7:5 @7:91 substring/line/i [user unknown] name=Unknown user (all) label=HB actions={subscription=hard-bounced retry=false} details={id=1 message=Mailbox does not exist origin=default isp=All ISPs}",
        ]
        let got = c.rules.map(ImporterFixtures.render)
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) { #expect(g == e) }
    }

    @Test func importCognosSmtprules() {
        let c = ImporterFixtures.parse("cognos-smtprules.xml", format: "cognos")
        #expect(c.errors.isEmpty, "\(c.errors)")
        let expected: [String] = [
            "4:3 @4:3 none/line/i [] name=specialErrorCode-550 label=specialErrorCode-550 codes=502 actions={keepMail=true failMail failMail.subject=Error code 550 keep mail} details={behaviour=specialErrorCode-550 smtpError=1 of 2 smtpRule.line=3}",
            "7:3 @7:3 none/line/i [] name=specialErrorCode-550 label=specialErrorCode-550 codes=550 actions={keepMail=true failMail failMail.subject=Error code 550 keep mail} details={behaviour=specialErrorCode-550 smtpError=2 of 2 smtpRule.line=3}",
            "18:3 @18:3 none/line/i [] name=transport label=transport transport actions={keepMail=false resends.number=-1 resends.delaySeconds=30} details={behaviour=transport smtpError=1 of 1 smtpRule.line=17}",
            "27:3 @27:3 none/line/i [] name=invalidRecips label=invalidRecips recipient-error actions={keepMail=false failMail failMail.recipients.sendToCurrentRecipients=false failMail.owner=true failMail.recipient=postmaster@example.com} details={behaviour=invalidRecips smtpError=1 of 1 smtpRule.line=26}",
            "40:2 @40:2 none/line/i [] name=default label=default actions={keepMail=false resends.number=3 resends.delaySeconds=3600 failMail} details={behaviour=default default=true}",
        ]
        let got = c.rules.map(ImporterFixtures.render)
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) { #expect(g == e) }
    }

    @Test func importKumomtaBounces() {
        let c = ImporterFixtures.parse("kumomta-bounces.toml", format: "kumomta")
        #expect(c.errors.isEmpty, "\(c.errors)")
        let expected: [String] = [
            "4:5 @4:6 regex/line/cs [^(451|550) [45]\\.1\\.[1234] ] name=InvalidRecipient[0] label=InvalidRecipient actions={} details={section=bounce-classifier}",
            "5:5 @5:6 regex/line/cs [^550 .*User Unknown] name=InvalidRecipient[1] label=InvalidRecipient actions={} details={section=bounce-classifier}",
            "7:16 @7:19 regex/line/cs [^552 [45]\\.2\\.2 ] name=QuotaIssues[0] label=QuotaIssues actions={} details={section=bounce-classifier}",
            "9:3 @10:1 regex/line/cs [^550 5\\.7\\.1 (?:blocked)] name=SpamBlock[0] label=SpamBlock actions={} details={section=bounce-classifier}",
        ]
        let got = c.rules.map(ImporterFixtures.render)
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) { #expect(g == e) }
    }

    @Test func importKumomtaShaping() {
        let c = ImporterFixtures.parse("kumomta-shaping.toml", format: "kumomta")
        #expect(c.errors.isEmpty, "\(c.errors)")
        let expected: [String] = [
            "8:5 @8:8 regex/line/cs [Messages from \\d+\\.\\d+\\.\\d+\\.\\d+ temporarily deferred] name=default automation[0] regex[0] label=SetConfig continue actions={SetConfig=max_message_rate=1/minute SetConfig=connection_limit=1 duration=90m} details={section=shaping-automation scope=default automation=0 match_internal=false}",
            "9:5 @9:8 regex/line/cs [has been temporarily rate limited due to IP reputation] name=default automation[0] regex[1] label=SetConfig continue actions={SetConfig=max_message_rate=1/minute SetConfig=connection_limit=1 duration=90m} details={section=shaping-automation scope=default automation=0 match_internal=false}",
            "22:9 @22:10 regex/line/cs [\\[TS?S04\\]] name=provider yahoo automation[0] label=Suspend continue isps=yahoo actions={Suspend duration=2 hours} details={section=shaping-automation scope=provider yahoo provider=yahoo match.MXSuffix=.yahoodns.net automation=0 match_internal=true}",
            "31:9 @31:10 regex/line/cs [acme says no] name=provider acme automation[0] label=SuspendTenant continue domains=*.acme.example actions={SuspendTenant duration=1h} details={section=shaping-automation scope=provider acme provider=acme match.DomainSuffix=.acme.example match.MXSuffix=.mx.acme.example automation=0 match_internal=false}",
            "39:9 @39:10 regex/line/cs [RL0000] name=comcast.net automation[0] label=SetConfig continue domains=comcast.net actions={SetConfig=max_connection_rate=10000/h trigger=Threshold=2/hr duration=2 hours} details={section=shaping-automation scope=comcast.net domain=comcast.net mx_rollup=true automation=0 match_internal=false}",
        ]
        let got = c.rules.map(ImporterFixtures.render)
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) { #expect(g == e) }
    }

}
