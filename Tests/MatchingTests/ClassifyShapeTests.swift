import Testing
import BounceMatch

@Suite struct ClassifyShapeTests {
    @Test(arguments: [
        ("550 5.1.1 <john.doe+tag@example.com>: Recipient address rejected", "550 5.1.1 <addr>: Recipient address rejected"),
        ("550 5.1.1 user john@mail.example.org. unknown", "550 5.1.1 user <addr>. unknown"),
        ("421 4.7.0 [192.0.2.45 15] try later", "421 4.7.0 [<ip> <n>] try later"),
        ("550 5.7.1 from 2001:db8::1: blocked", "550 5.7.1 from <ip>: blocked"),
        ("550 5.7.1 from 2001:0db8:0000:0000:0000:0000:0000:0001 blocked", "550 5.7.1 from <ip> blocked"),
        ("452 4.2.2 over quota q44002si339242knz.398 - gsmtp", "452 4.2.2 over quota <id>.<n> - gsmtp"),
        ("250 ok id=1d98076a-bbc1-11ed-9402-50ebf67f93bd", "250 ok id=<id>"),
        ("451 queued at 2026-11-22 09:07:34 retry", "451 queued at <date> <time> retry"),
        ("553 5.7.1 [BL23] Connections not accepted (S3150)", "553 5.7.1 [BL23] Connections not accepted (S3150)"),
        ("554 queue id 3F2A01C0D2 rejected", "554 queue id <id> rejected"),
        ("550-5.1.1 first 550 5.1.1 second 42", "550 5.1.1 first second <n>"),
        ("connect to mx.example.com[198.51.100.7]:25: Connection timed out",
         "connect to mx.example.com[<ip>]:<n>: Connection timed out"),
    ])
    func masks(_ input: String, _ expected: String) {
        #expect(ReplyShape.shape(ofReply: input) == expected)
    }

    @Test func keepsTheCodesAndGroupsVariants() {
        let a = ReplyShape.shape(ofReply: "550 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org")
        let b = ReplyShape.shape(ofReply: "550 5.7.1 Service unavailable; client [203.0.113.77] blocked using zen.spamhaus.org")
        #expect(a == b)
        #expect(a.hasPrefix("550 5.7.1 "))
    }

    @Test func anyBytesNeverCrash() {
        var rng = SplitMix64(seed: 0x5A4E)
        for _ in 0..<2_000 {
            let n = Int(rng.next() % 64)
            let alphabet: [UInt8] = Array("0123456789abcdef.:@-<> x".utf8) + [0x00, 0xFF, 0x80]
            let bytes = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            _ = ReplyShape.shape(ofReply: bytes)
        }
    }
}

import TestSupport
