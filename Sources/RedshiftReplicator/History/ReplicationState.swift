/// The states of one replication, in order. `canceled` may follow any state but `imported`.
public enum ReplicationState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Created; nothing exported yet.
    case enqueued
    /// Bounds read; rows being written to local files.
    case exporting
    /// Local files complete.
    case exported
    /// Files being uploaded to S3.
    case uploading
    /// Files and manifest in S3.
    case uploaded
    /// COPY and merge running in Redshift.
    case importing
    /// Committed in Redshift. Final.
    case imported
    /// Given up (too many retries, or `rrr cancel`). Final.
    case canceled

    /// Whether nothing more will happen to this replication.
    public var isFinal: Bool { self == .imported || self == .canceled }

    /// Whether a resume must export again (the files are not known to be in S3).
    public var resumesWithExport: Bool {
        switch self {
        case .enqueued, .exporting, .exported, .uploading: return true
        case .uploaded, .importing, .imported, .canceled: return false
        }
    }
}
