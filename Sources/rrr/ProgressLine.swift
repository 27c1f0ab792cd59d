import Foundation
import RedshiftReplicator

/// Shows export progress (rows, MB, rate) on one line of stderr when it is a terminal.
enum ProgressLine {
    /// Starts printing `replicator`'s progress if stderr is a TTY; returns the task to cancel.
    static func start(_ replicator: Replicator) -> Task<Void, Never>? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        let stream = replicator.progress
        return Task.detached {
            for await p in stream {
                let mb = Double(p.bytes) / 1_048_576
                let line = String(format: "\r%@: %lld rows, %.1f MB, %.0f rows/s%@", p.table, p.rows, mb, p.rowsPerSecond,
                                  p.finished ? "\n" : "")
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
    }
}
