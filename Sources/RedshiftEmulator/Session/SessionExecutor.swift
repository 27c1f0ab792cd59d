import Foundation

/// The threads every emulator session of the process runs on, instead of Swift's cooperative pool:
/// a process embedding the emulator (a test run) may block pool threads (waiting on a child
/// process, say), and on a two-core machine that pool has two threads; sessions stalled behind
/// them made clients time out. Four threads, shared by every server of the process, started once.
@available(macOS 15.0, *)
final class SessionExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = SessionExecutor(threads: 4)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "redshift-emulator-\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
