#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one matcher on several OS threads at once, each with its own scratch and its own contiguous chunk of
/// the replies, and times the whole from a common start (a barrier) to the last thread's end.
enum BenchThreads {
    /// What one thread does; the box is handed to the thread as its raw argument and retained until joined.
    private final class Job: @unchecked Sendable {
        let matcher: any Matcher
        let replies: ArraySlice<Reply>
        let passes: Int
        let startGate: UnsafeMutablePointer<pthread_barrier_t>
        var checksum = 0

        init(matcher: any Matcher, replies: ArraySlice<Reply>, passes: Int, startGate: UnsafeMutablePointer<pthread_barrier_t>) {
            self.matcher = matcher
            self.replies = replies
            self.passes = passes
            self.startGate = startGate
        }

        func run() {
            let scratch = matcher.makeScratch()
            // Warm the scratch and caches before the common start, so no thread times its cold first pass.
            checksum &+= BenchRunner.pass(matcher, scratch, replies)
            pthread_barrier_wait(startGate)
            for _ in 0..<passes { checksum &+= BenchRunner.pass(matcher, scratch, replies) }
        }
    }

    /// Wall seconds for `threads` threads each doing `passes` passes over its chunk (`replies` split evenly),
    /// and a checksum of the answers so the work cannot be optimised away.
    static func timedRun(_ matcher: any Matcher, replies: [Reply], threads: Int, passes: Int) -> (seconds: Double, checksum: Int) {
        precondition(threads >= 1)
        let gate = UnsafeMutablePointer<pthread_barrier_t>.allocate(capacity: 1)
        defer { gate.deallocate() }
        pthread_barrier_init(gate, nil, UInt32(threads + 1))
        defer { pthread_barrier_destroy(gate) }

        let n = replies.count
        var jobs: [Job] = []
        for t in 0..<threads {
            let lo = n * t / threads, hi = n * (t + 1) / threads
            jobs.append(Job(matcher: matcher, replies: replies[lo..<hi], passes: passes, startGate: gate))
        }
        var handles: [pthread_t] = []
        for job in jobs {
            let arg = Unmanaged.passRetained(job).toOpaque()
            var handle = pthread_t()
            let rc = pthread_create(&handle, nil, { raw in
                let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
                job.run()
                return nil
            }, arg)
            precondition(rc == 0, "pthread_create failed: \(rc)")
            handles.append(handle)
        }
        pthread_barrier_wait(gate)
        let start = BenchSystem.now()
        for h in handles { pthread_join(h, nil) }
        let seconds = BenchSystem.now() - start
        return (seconds, jobs.reduce(0) { $0 &+ $1.checksum })
    }

    /// A job with no memory traffic and no shared state: `iterations` steps of a non-linear integer
    /// recurrence (an LCG would be folded by the optimiser into one step per eight, leaving too little work
    /// to time).
    private final class Spin: @unchecked Sendable {
        let iterations: Int
        let startGate: UnsafeMutablePointer<pthread_barrier_t>
        var result: UInt64 = 0
        init(iterations: Int, startGate: UnsafeMutablePointer<pthread_barrier_t>) {
            self.iterations = iterations
            self.startGate = startGate
        }
        func run() {
            pthread_barrier_wait(startGate)
            var x: UInt64 = 0x9E37_79B9_7F4A_7C15
            for _ in 0..<iterations { x = (x ^ (x &>> 31)) &* 0xBF58_476D_1CE4_E5B9 }
            result = x
        }
    }

    /// How far the machine itself scales right now: the same total of pure CPU work split over `threads`
    /// threads, as a speed-up over one thread. A matcher's scaling can be no better than this, so the report
    /// shows it beside the matchers' figures (on a busy or shared machine it is well under `threads`).
    static func machineSpeedup(threads: Int, iterations: Int = 60_000_000) -> Double {
        func wall(_ t: Int) -> Double {
            let gate = UnsafeMutablePointer<pthread_barrier_t>.allocate(capacity: 1)
            defer { gate.deallocate() }
            pthread_barrier_init(gate, nil, UInt32(t + 1))
            defer { pthread_barrier_destroy(gate) }
            let jobs = (0..<t).map { _ in Spin(iterations: iterations / t, startGate: gate) }
            var handles: [pthread_t] = []
            for job in jobs {
                var handle = pthread_t()
                let rc = pthread_create(&handle, nil, { raw in
                    Unmanaged<Spin>.fromOpaque(raw!).takeRetainedValue().run()
                    return nil
                }, Unmanaged.passRetained(job).toOpaque())
                precondition(rc == 0, "pthread_create failed: \(rc)")
                handles.append(handle)
            }
            pthread_barrier_wait(gate)
            let start = BenchSystem.now()
            for h in handles { pthread_join(h, nil) }
            let secs = BenchSystem.now() - start
            BenchRunner.keep(Int(truncatingIfNeeded: jobs.reduce(0) { $0 ^ $1.result }))
            return secs
        }
        // Interference only ever slows a run down, so the fastest of a few runs is the machine's real speed.
        var one = Double.infinity, many = Double.infinity
        for _ in 0..<3 {
            one = Swift.min(one, wall(1))
            many = Swift.min(many, wall(threads))
        }
        return one / Swift.max(many, 1e-9)
    }
}
