import Foundation

/// One replication of one table: a row of the history table `rrr_replications` in the source database.
public struct ReplicationRecord: Sendable, Hashable, Codable {
    /// Database id (0 before the record is saved).
    public var id: Int64
    /// The strategy used.
    public var replicationType: ReplicationStrategy
    /// The unique replication key; names the S3 folder and the ledger row.
    public var key: String
    /// Current state.
    public var state: ReplicationState
    /// Exclusive lower bound of the replication field (text), `nil` = unbounded.
    public var lowerBound: String?
    /// Inclusive upper bound (text): the high-water mark once imported.
    public var upperBound: String?
    /// Rows exported.
    public var recordCount: Int64?
    /// Rows whose replication field was NULL at export (never exported; reported).
    public var nullFieldCount: Int64?
    /// Times this replication was resumed.
    public var retries: Int
    /// The last error, human-readable; kept for history, never blocks a retry.
    public var lastError: String?
    /// Source table.
    public var sourceTable: String
    /// Redshift table.
    public var targetTable: String
    /// Number of files.
    public var slices: Int
    /// File format.
    public var exportFormat: ExportFormat
    /// Seconds spent exporting, uploading and importing.
    public var exportDuration: Double?
    public var uploadDuration: Double?
    public var importDuration: Double?
    /// When the record was created and last changed.
    public var createdAt: Date
    public var updatedAt: Date
    /// Deleted keys this replication propagated to Redshift (delete tracking); `nil` when untracked.
    public var deletedCount: Int64? = nil
    /// Source values Redshift cannot load that were exported as NULL or cut to their column's
    /// width (MySQL zero dates such as `0000-00-00`; `invalid_values: null | truncate`), column
    /// `nulled_value_count`; `nil` before the export, 0 when there were none.
    public var nulledValueCount: Int64? = nil
    /// The replication field the record was exported by (`nil` for full tables and records of rrr
    /// before 0.2).
    public var replicationField: String? = nil
    /// The configured key columns, comma-separated; empty when the source's primary key is the
    /// key; `nil` in records of rrr before 0.2.
    public var keyColumns: String? = nil
    /// The rrr version that created the record (``RRRVersion/current``).
    public var rrrVersion: String? = nil
    /// Rows COPY rejected and skipped under `max_copy_errors` (exported but not loaded); `nil`
    /// before the load and in records loaded by an earlier attempt (the ledger found them loaded).
    public var rejectedCount: Int64? = nil

    /// A new, unsaved record in state `enqueued`.
    public init(replicationType: ReplicationStrategy, key: String, sourceTable: String, targetTable: String,
                slices: Int, exportFormat: ExportFormat, now: Date = Date()) {
        self.id = 0; self.replicationType = replicationType; self.key = key; self.state = .enqueued
        self.retries = 0; self.sourceTable = sourceTable; self.targetTable = targetTable
        self.slices = slices; self.exportFormat = exportFormat; self.createdAt = now; self.updatedAt = now
    }
}
