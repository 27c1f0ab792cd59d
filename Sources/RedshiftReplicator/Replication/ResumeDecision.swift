/// What the next run of a table does, decided from its newest non-canceled record alone
/// (pure: no I/O, tested without servers).
enum ResumeDecision: Sendable, Hashable {
    /// No unfinished replication: start a new one.
    case startFresh
    /// Stopped before `uploaded` (or sent back to `exported` because Redshift rejected rows of its
    /// files): export again with the record's saved bounds, then import.
    case exportAgain(ReplicationRecord)
    /// Stopped at `uploaded` or `importing`: the files are in S3; import them again.
    case importAgain(ReplicationRecord)
    /// Resumed too often: cancel it, then start fresh.
    case cancelThenStartFresh(ReplicationRecord)

    /// Decides from `latest` (the newest record that is not canceled) and `maxRetries`.
    ///
    /// A stale `lastError` never matters here: only the state and the retry count do.
    public static func decide(latest: ReplicationRecord?, maxRetries: Int) -> ResumeDecision {
        guard let latest, !latest.state.isFinal else { return .startFresh }
        if latest.retries >= maxRetries { return .cancelThenStartFresh(latest) }
        return latest.state.resumesWithExport ? .exportAgain(latest) : .importAgain(latest)
    }
}

/// What a run is asked to do.
public enum ReplicationStep: String, Sendable, Hashable {
    /// Export, upload and import.
    case replicate
    /// Export and upload only (stop at `uploaded`).
    case export
    /// Import what was uploaded; export nothing.
    case `import`
}
