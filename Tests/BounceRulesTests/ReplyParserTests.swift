import BounceRules
import Testing
import TestSupport

func lineText(_ r: Reply) -> String { String(decoding: r.line, as: UTF8.self) }
func textText(_ r: Reply) -> String { String(decoding: r.text, as: UTF8.self) }

@Suite struct ReplyParserTests {
    @Test func singleLineWithEnhancedCode() {
        let r = Reply(parsing: "550 5.1.1 <a@b>: Recipient address rejected")
        #expect(lineText(r) == "550 5.1.1 <a@b>: Recipient address rejected")
        #expect(r.code == 550)
        #expect(r.enhanced == EnhancedCode(5, 1, 1))
        #expect(textText(r) == "<a@b>: Recipient address rejected")
        #expect(r.textStart == 10)
        #expect(!r.isTransportEvent)
    }

    @Test func multiLineCRLF() {
        let r = Reply(parsing: "550-5.1.1 first\r\n550 5.1.1 second")
        #expect(lineText(r) == "550 5.1.1 first second")
        #expect(r.code == 550)
        #expect(r.enhanced == EnhancedCode(5, 1, 1))
        #expect(textText(r) == "first second")
    }

    @Test func multiLineLoneLFAndLoneCR() {
        #expect(lineText(Reply(parsing: "550-5.1.1 a\n550-5.1.1 b\r550 5.1.1 c")) == "550 5.1.1 a b c")
        #expect(lineText(Reply(parsing: "550-a\r\n550 b\r\n")) == "550 a b")
    }

    @Test func continuationWithOtherEnhancedCodeKeepsIt() {
        let r = Reply(parsing: "550-5.7.1 first\r\n550 5.7.26 second")
        #expect(lineText(r) == "550 5.7.1 first 5.7.26 second")
        #expect(r.enhanced == EnhancedCode(5, 7, 1))
    }

    @Test func lineWithOtherCodeIsKeptWhole() {
        // KumoMTA's example: a line that does not repeat the code is text, joined by one space.
        #expect(lineText(Reply(parsing: "a \n451 b")) == "a  451 b")
        #expect(lineText(Reply(parsing: "550-first\r\n451 second")) == "550 first 451 second")
    }

    @Test func emptyContinuationLinesAddNothing() {
        #expect(lineText(Reply(parsing: "550-5.1.1\r\n550 5.1.1 user unknown")) == "550 5.1.1 user unknown")
        #expect(lineText(Reply(parsing: "550-x\r\n\r\n550 y")) == "550 x y")
    }

    @Test func tabsBecomeSpacesAndNothingElseChanges() {
        let r = Reply(parsing: "550 5.1.1\tuser\t\tunknown   here ")
        #expect(lineText(r) == "550 5.1.1 user  unknown   here ")
        #expect(textText(r) == "user  unknown   here ")
    }

    @Test func flattenedContinuationMarkers() {
        let r = Reply(parsing: "550-5.7.1 aaa 550-5.7.1 bbb 550 5.7.1 ccc")
        #expect(lineText(r) == "550 5.7.1 aaa bbb ccc")
        #expect(textText(r) == "aaa bbb ccc")
        // Without an enhanced code the bare code marks continuations.
        #expect(lineText(Reply(parsing: "421-mx.example.com busy 421-try later 421 bye")) == "421 mx.example.com busy try later bye")
        // A different enhanced code after the code is not a marker: it stays text.
        #expect(lineText(Reply(parsing: "550-5.7.1 aaa 550 5.7.26 bbb")) == "550 5.7.1 aaa 550 5.7.26 bbb")
        // A first line with a space separator is not multi-line: ` 550 ` later is text.
        #expect(lineText(Reply(parsing: "550 5.7.1 aaa 550 5.7.1 bbb")) == "550 5.7.1 aaa 550 5.7.1 bbb")
        // Interior spacing before a marker is kept.
        #expect(lineText(Reply(parsing: "550-aaa  550 bbb")) == "550 aaa  bbb")
    }

    @Test func codeShapes() {
        #expect(Reply(parsing: "550").code == 550)
        #expect(lineText(Reply(parsing: "550")) == "550")
        #expect(Reply(parsing: "550").textStart == 3)
        #expect(Reply(parsing: "550-").code == 550)
        #expect(Reply(parsing: "250 ok").code == 250)
        #expect(Reply(parsing: "650 x").code == nil)
        #expect(Reply(parsing: "150 x").code == nil)
        #expect(Reply(parsing: "5500 x").code == nil)
        #expect(Reply(parsing: "55a x").code == nil)
        #expect(Reply(parsing: " 550 x").code == nil)
    }

    @Test func enhancedShapes() {
        #expect(Reply(parsing: "550 5.1.1").enhanced == EnhancedCode(5, 1, 1))
        #expect(textText(Reply(parsing: "550 5.1.1")) == "")
        #expect(Reply(parsing: "452 4.2.2 full").enhanced == EnhancedCode(4, 2, 2))
        #expect(Reply(parsing: "250 2.0.0 ok").enhanced == EnhancedCode(2, 0, 0))
        #expect(Reply(parsing: "550 5.123.456 x").enhanced == EnhancedCode(5, 123, 456))
        #expect(Reply(parsing: "550 5.1234.1 x").enhanced == nil)
        #expect(Reply(parsing: "550 3.1.1 x").enhanced == nil)
        #expect(Reply(parsing: "550 5.1.1x y").enhanced == nil)
        #expect(Reply(parsing: "550 5.1. y").enhanced == nil)
        #expect(textText(Reply(parsing: "550 5.1.1x y")) == "5.1.1x y")
        #expect(Reply(parsing: "550-5.7.1 x").enhanced == EnhancedCode(5, 7, 1))
    }

    @Test func postfixWrappedReply() {
        let raw = "host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@b>: Recipient address rejected (in reply to RCPT TO command)"
        let r = Reply(parsing: raw)
        #expect(lineText(r) == raw)
        #expect(r.textStart == 0)
        #expect(r.code == 550)
        #expect(r.enhanced == EnhancedCode(5, 1, 1))
        #expect(!r.isTransportEvent)
    }

    @Test func eximWrappedReply() {
        let raw = "SMTP error from remote mail server after RCPT TO:<a@b>: 550 5.2.1 mailbox disabled"
        let r = Reply(parsing: raw)
        #expect(lineText(r) == raw)
        #expect(r.textStart == 0)
        #expect(r.code == 550)
        #expect(r.enhanced == EnhancedCode(5, 2, 1))
        let host = Reply(parsing: "SMTP error from remote mail server after end of data: host mx.example.jp [192.0.2.20]: 554 5.7.0 Header error")
        #expect(host.code == 554)
        #expect(host.enhanced == EnhancedCode(5, 7, 0))
        let noEnhanced = Reply(parsing: "host x[192.0.2.1] said: 421 too busy")
        #expect(noEnhanced.code == 421)
        #expect(noEnhanced.enhanced == nil)
    }

    @Test func transportEvents() {
        let r = Reply(parsing: "connect to mx.example.com[192.0.2.1]:25: Connection timed out")
        #expect(r.isTransportEvent)
        #expect(r.code == nil)
        #expect(r.enhanced == nil)
        #expect(r.textStart == 0)
        #expect(textText(r) == "connect to mx.example.com[192.0.2.1]:25: Connection timed out")
        #expect(Reply(parsing: "Host or domain name not found. Name service error for name=x type=MX: Host not found").isTransportEvent)
    }

    @Test func emptyAndOnlyLineBreaks() {
        for raw in ["", "\r\n", "\r\n\r\n\r\n", "\n\r", "\r"] {
            let r = Reply(parsing: raw)
            #expect(r.line.isEmpty)
            #expect(r.isTransportEvent)
            #expect(r.code == nil)
        }
    }

    @Test func bytesStayBytes() {
        let raw: [UInt8] = Array("550 5.1.1 a".utf8) + [0x00, 0xFF, 0xC3, 0x28, 0x80] + Array(" b".utf8)
        let r = Reply(parsing: raw)
        #expect(r.line == raw)
        #expect(Array(r.text) == Array("a".utf8) + [0x00, 0xFF, 0xC3, 0x28, 0x80] + Array(" b".utf8))
        let noCode = Reply(parsing: [0xFF, 0x00, 0x0A, 0xFE])
        #expect(noCode.line == [0xFF, 0x00, 0x20, 0xFE])
        #expect(noCode.isTransportEvent)
    }

    @Test func oneMegabyteLine() {
        var raw = Array("550-5.7.1 ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        raw += Array("\r\n550 5.7.1 end".utf8)
        let r = Reply(parsing: raw)
        #expect(r.line.count == 10 + (1 << 20) + 4)
        #expect(r.code == 550)
        #expect(r.line.suffix(4).elementsEqual(" end".utf8))
        // A megabyte of spaces-and-codes exercises the flattened-marker scan without a code at the start.
        let noisy = [UInt8]((0..<(1 << 20)).map { i in Array(" 550-".utf8)[i % 5] })
        #expect(Reply(parsing: noisy).isTransportEvent)
    }

    @Test func refillReusesTheBuffer() {
        var reply = Reply(parsing: [UInt8](repeating: 0x61, count: 4096))
        let capacity = reply.line.capacity
        let base = reply.line.withUnsafeBufferPointer { $0.baseAddress }
        for raw in ["550-5.1.1 a\r\n550 5.1.1 b", "host x said: 450 4.2.0 later", "", "connect to x:25: refused"] {
            let bytes = Array(raw.utf8)
            bytes.withUnsafeBufferPointer { ReplyParser.parse($0, context: ReplyContext(), into: &reply) }
            #expect(reply.line.capacity == capacity)
            #expect(reply.line.withUnsafeBufferPointer { $0.baseAddress } == base)
        }
        #expect(reply.isTransportEvent)
        #expect(lineText(reply) == "connect to x:25: refused")
    }

    @Test func contextIsCarried() {
        let ctx = ReplyContext(recipient: "User@Example.COM", sendingIP: "192.0.2.7", phase: .rcpt)
        let r = Reply(parsing: "550 x", context: ctx)
        #expect(r.context.recipientDomain == Array("example.com".utf8))
        #expect(r.context.sendingIP == IPAddress(parsing: "192.0.2.7"))
        #expect(r.context.phase == .rcpt)
    }

    @Test func recipientDomains() {
        #expect(ReplyContext.domain(ofRecipient: Array("user@Example.COM".utf8)) == Array("example.com".utf8))
        #expect(ReplyContext.domain(ofRecipient: Array("<a@b.example.org.>".utf8)) == Array("b.example.org".utf8))
        #expect(ReplyContext.domain(ofRecipient: Array("\"x@y\"@mail.example".utf8)) == Array("mail.example".utf8))
        #expect(ReplyContext.domain(ofRecipient: Array("Example.NET".utf8)) == Array("example.net".utf8))
        #expect(ReplyContext.domain(ofRecipient: Array("user@".utf8)) == nil)
        #expect(ReplyContext.domain(ofRecipient: []) == nil)
    }

    @Test func phaseNames() {
        #expect(SMTPPhase(parsing: "RCPT TO") == .rcpt)
        #expect(SMTPPhase(parsing: "ehlo") == .helo)
        #expect(SMTPPhase(parsing: "end of DATA") == .data)
        #expect(SMTPPhase(parsing: "quit") == nil)
    }

    @Test func asciiCaseFolding() {
        for b in 0...255 {
            let u = UInt8(b)
            let expected: UInt8 = (0x41...0x5A).contains(u) ? u + 0x20 : u
            #expect(asciiLowercase(u) == expected)
        }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        let alphabet: [UInt8] = Array("55 0-5.1.7 4x:\r\n\t".utf8) + [0x00, 0xFF, 0x80]
        var reply = Reply()
        for _ in 0..<3000 {
            let n = Int(rng.next() % 64)
            let bytes: [UInt8] = (0..<n).map { _ in
                rng.next() % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            bytes.withUnsafeBufferPointer { ReplyParser.parse($0, context: ReplyContext(), into: &reply) }
            #expect(reply.line.count <= bytes.count)
            #expect(reply.textStart <= reply.line.count)
            #expect(!reply.line.contains(0x0A) && !reply.line.contains(0x0D) && !reply.line.contains(0x09))
            #expect(reply.isTransportEvent == (reply.code == nil))
            if let c = reply.code { #expect((200...599).contains(c)) }
            // Normalizing twice changes nothing more.
            let again = Reply(parsing: reply.line)
            #expect(again.code == reply.code)
        }
    }

    @Test func corpusRepliesParse() {
        guard SharedCorpora.root != nil else {
            SharedCorpora.announceMissing("ReplyParserTests.corpusRepliesParse")
            return
        }
        var withCode = 0, total = 0
        for file in SharedCorpora.replyFiles() {
            let (header, rows) = SharedCorpora.readTSV(file)
            guard header.first == "reply" else { continue }
            for row in rows {
                let raw = file.contains("/kumomta/") ? SharedCorpora.unescapeKumo(row[0]) : row[0]
                let r = Reply(parsing: raw)
                total += 1
                if r.code != nil { withCode += 1 }
                #expect(!r.line.contains(0x0A) && !r.line.contains(0x0D))
            }
        }
        #expect(total > 1000)
        #expect(withCode > total / 2)
    }
}
