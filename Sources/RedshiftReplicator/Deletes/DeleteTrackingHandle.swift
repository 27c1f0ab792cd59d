import Logging

/// What the shared snapshot delete tracking (``SnapshotDeleteTracker``, used by MySQL and SQLite)
/// needs from a client handle; every call runs on the handle's own thread. Each source conforms its
/// handle in its own folder.
protocol DeleteTrackingHandle: SnapshotExportHandle {
    /// Starts a read-only transaction whose snapshot every following query shares.
    func beginReadSnapshot(logger: Logger) throws
    /// Starts a read-write transaction.
    func beginWrite(logger: Logger) throws
    /// Rolls the current transaction back.
    func rollback(logger: Logger) throws
}
