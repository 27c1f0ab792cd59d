#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A serial executor that runs its jobs on one thread of its own.
///
/// The source clients wrap blocking C libraries (libmariadb, SQLite): a call may wait on the network or
/// a lock for seconds, and an export loops over millions of rows. Giving each connection actor its own
/// thread keeps that work off the main actor and off Swift's cooperative pool (two threads on a
/// two-core machine), and serialises every call on one handle as the C libraries require.
///
/// The thread lives as long as the executor: it ends after the last job once the executor is released.
public final class DedicatedThreadExecutor: SerialExecutor, @unchecked Sendable {
    private let queue: JobQueue

    /// Starts the thread.
    public init() {
        queue = JobQueue()
        queue.executor = UnownedSerialExecutor(ordinary: self)
        queue.start()
    }

    deinit { queue.stop() }

    /// Queues `job` to run on the executor's thread.
    public func enqueue(_ job: consuming ExecutorJob) {
        queue.push(UnownedJob(job))
    }

    /// This executor as the runtime refers to it.
    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Traps unless called on the executor's thread (used by `assumeIsolated`).
    public func checkIsolated() {
        precondition(queue.isCurrentThread, "not on the executor's thread")
    }
}

/// The jobs waiting for the thread, guarded by a pthread mutex and condition.
private final class JobQueue: @unchecked Sendable {
    // Unowned on purpose: the thread must not keep the executor alive (its deinit stops the thread).
    var executor: UnownedSerialExecutor?
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [UnownedJob] = []
    private var stopping = false
    private var thread: pthread_t?

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func start() {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { context in
            Unmanaged<JobQueue>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        precondition(status == 0, "pthread_create failed: \(status)")
        locked { self.thread = thread }
        pthread_detach(thread)
    }

    var isCurrentThread: Bool {
        locked { thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
    }

    func push(_ job: UnownedJob) {
        locked {
            jobs.append(job)
            pthread_cond_signal(condition)
        }
    }

    func stop() {
        locked {
            stopping = true
            pthread_cond_signal(condition)
        }
    }

    /// The thread's loop: run jobs in order until stopped and drained.
    private func run() {
        var batch: [UnownedJob] = []
        while true {
            pthread_mutex_lock(mutex)
            while jobs.isEmpty && !stopping { pthread_cond_wait(condition, mutex) }
            if jobs.isEmpty {
                pthread_mutex_unlock(mutex)
                return
            }
            swap(&batch, &jobs)
            pthread_mutex_unlock(mutex)
            for job in batch { job.runSynchronously(on: executor!) }
            batch.removeAll(keepingCapacity: true)
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
