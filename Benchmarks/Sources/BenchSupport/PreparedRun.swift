import BounceMatch

/// A matcher, its warm scratch and the replies, ready for the measured loop; made in a benchmark's setup
/// only after the backend has been shown to give the reference's answer on every reply.
public final class PreparedRun: @unchecked Sendable {
    public let matcher: any Matcher
    public let scratch: any MatchScratch
    /// Mutated only by `run`, which moves each reply out and back in place.
    public private(set) var replies: [Reply]
    public let bytesPerReply: Double
    /// Where the next measured iteration starts in `replies` (iterations walk the stream cyclically).
    public var cursor = 0

    init(matcher: any Matcher, replies: [Reply]) {
        self.matcher = matcher
        self.scratch = matcher.makeScratch()
        self.replies = replies
        self.bytesPerReply = Double(replies.reduce(0) { $0 + $1.line.count }) / Double(max(replies.count, 1))
        // One untimed pass: the scratch grows to its working size here, not in the measured loop.
        _ = run(count: replies.count)
        cursor = 0
    }

    /// Matches the next `count` replies (wrapping around); returns a checksum of the answers.
    @inline(__always)
    public func run(count: Int) -> Int {
        let matcher = self.matcher, scratch = self.scratch
        var i = cursor
        let sum = replies.withUnsafeMutableBufferPointer { rs -> Int in
            let base = rs.baseAddress!
            let n = rs.count
            var sum = 0
            for _ in 0..<count {
                // Moved out and back: the matcher gets the reply as the C loops get theirs, with no copy (a copy
                // out of the array retains and releases each of its arrays, ~5% of hyperscan's time here).
                let reply = (base + i).move()
                sum &+= matcher.firstMatch(reply, scratch: scratch).ruleIndex
                (base + i).initialize(to: reply)
                i += 1
                if i == n { i = 0 }
            }
            return sum
        }
        cursor = i
        return sum
    }

    /// Loads `benchCase`, compiles `backend` and the reference, and checks every reply with
    /// `DifferentialRun`. A backend that cannot compile the set or disagrees is an error: it gets no figure.
    public static func prepare(_ backend: BackendDescriptor, _ benchCase: BenchCase) throws -> PreparedRun {
        let input = try benchCase.load()
        guard !input.replies.isEmpty else { throw BenchCaseError("\(benchCase.name): no replies") }
        let matcher: any Matcher
        do { matcher = try backend.make(input.ruleSet, MatcherOptions()) } catch {
            throw BenchCaseError("\(backend.name) cannot take \(benchCase.name): \(error) — no figure")
        }
        if backend.name != Backends.reference.name {
            let reference = try Backends.reference.make(input.ruleSet, MatcherOptions())
            let diff = DifferentialRun(matchers: [reference, matcher], keep: 1)
            for (n, r) in input.replies.enumerated() { diff.check(r, replyNumber: n + 1) }
            if diff.totalDisagreements > 0 {
                let first = diff.disagreements.first.map { "reply \($0.replyNumber): \($0.results[0]) vs \($0.results[1])" } ?? ""
                throw BenchCaseError(
                    "\(backend.name) DISAGREES with \(Backends.reference.name) on \(diff.totalDisagreements) replies of \(benchCase.name) (\(first)) — no figure")
            }
        }
        return PreparedRun(matcher: matcher, replies: input.replies)
    }
}
