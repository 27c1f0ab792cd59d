/// How a table is replicated.
public enum ReplicationStrategy: String, Sendable, Hashable, CaseIterable, Codable {
    /// Rows whose timestamp field (default `updated_at`) changed since the last run are merged
    /// into Redshift: stage, then delete matching keys and insert, in one transaction.
    case timed
    /// Rows whose growing id field (default `id`) is new are appended, de-duplicated against the
    /// lookback overlap. For immutable tables such as events.
    case identity
    /// Every row every run; the target is replaced atomically (`DELETE` + `INSERT` in one
    /// transaction, never TRUNCATE or DROP), so grants and views survive.
    case full

    /// The replication field used when none is configured: `updated_at`, `id`, or none.
    public var defaultReplicationField: String? {
        switch self {
        case .timed: return "updated_at"
        case .identity: return "id"
        case .full: return nil
        }
    }
}

/// The export file format.
public enum ExportFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// Plain CSV.
    case csv
    /// gzip-compressed CSV (COPY ... GZIP).
    case gzip
    /// zstd-compressed CSV (COPY ... ZSTD).
    case zstd
}
