#if canImport(Glibc)
import Glibc
#endif

/// A mutex with one condition variable, for the classify pipeline's hand-offs between threads.
final class ConditionLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits for a broadcast; call with the lock held.
    func wait() { pthread_cond_wait(condition, mutex) }
    func broadcast() { pthread_cond_broadcast(condition) }

    @inline(__always)
    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }
}

/// A FIFO that blocks `pop` while empty. Capacity is bounded by the number of items that exist (the
/// pipeline recycles a fixed pool of chunks), so `push` never blocks.
final class BlockingQueue<Element>: @unchecked Sendable {
    private let lock = ConditionLock()
    private var items: [Element] = []
    private var head = 0

    func push(_ item: Element) {
        lock.withLock {
            items.append(item)
            lock.broadcast()
        }
    }

    func pop() -> Element {
        lock.lock()
        defer { lock.unlock() }
        while head == items.count { lock.wait() }
        let item = items[head]
        head += 1
        if head == items.count {
            // Keep the array's storage: the queue is drained and refilled all run long.
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        return item
    }
}

/// A joinable POSIX thread running a closure.
final class WorkerThread: @unchecked Sendable {
    private var thread = pthread_t()
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    init(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
    }

    func join() { pthread_join(thread, nil) }
}

/// The number of online processors (at least 1).
public func onlineProcessorCount() -> Int {
    max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1)
}
