import Foundation
import RedshiftReplicator

/// `RRR_FAILPOINT_KILL=<point>`: the process sends itself SIGKILL at that point of a run, exactly as
/// an operator's `kill -9` would land then (see `Failpoint` in the engine for the points). Used by
/// the crash tests and by the export benchmarks (`RRR_FAILPOINT_KILL=exported`); unset, nothing happens.
enum Failpoints {
    static func installFromEnvironment() {
        guard let target = ProcessInfo.processInfo.environment["RRR_FAILPOINT_KILL"], !target.isEmpty else { return }
        Failpoint.install { point in
            if point == target { kill(getpid(), SIGKILL) }
        }
    }
}
