import Foundation

/// Crash points for the kill -9 tests: when `RRR_FAILPOINT_KILL` names a point, the process
/// sends itself SIGKILL there, exactly as an operator's `kill -9` would land at that moment.
/// Points: a state name (right after that state is saved), `part-uploaded` (a streamed export's
/// multipart part reached S3), or `load-committed` (after the Redshift COMMIT, before the history
/// says `imported`). Unset in production.
enum Failpoint {
    static let target = ProcessInfo.processInfo.environment["RRR_FAILPOINT_KILL"]

    static func hit(_ point: String) {
        guard let target, target == point else { return }
        kill(getpid(), SIGKILL)
    }
}
