#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value shared by concurrent tasks and threads, read and changed only under a lock.
///
/// The package's one lock type. It has the shape of `Synchronization.Mutex` (`withLock`) but is
/// built on `pthread_mutex_t`: on Linux, `Mutex` waits with raw futex calls that ThreadSanitizer
/// cannot see, so every state it protects was reported as a data race (`scripts/test-tsan`).
/// ThreadSanitizer intercepts pthread mutexes, so races it reports here are real ones.
///
/// Hold the lock briefly: never `await` or block inside `withLock` (it cannot be held across a
/// suspension point anyway, since the body is synchronous).
public final class Locked<Value: ~Copyable>: @unchecked Sendable {
    // @unchecked: `value` is only touched between `pthread_mutex_lock` and `pthread_mutex_unlock`.
    @usableFromInline var value: Value
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// Creates the lock around its first value.
    public init(_ initialValue: consuming Value) {
        value = initialValue
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock; what `body` returns or throws is passed on.
    @inlinable
    public func withLock<Result, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        lock()
        defer { unlock() }
        return try body(&value)
    }

    @usableFromInline
    func lock() {
        let status = pthread_mutex_lock(mutex)
        precondition(status == 0, "pthread_mutex_lock failed: \(status)")
    }

    @usableFromInline
    func unlock() {
        let status = pthread_mutex_unlock(mutex)
        precondition(status == 0, "pthread_mutex_unlock failed: \(status)")
    }
}
