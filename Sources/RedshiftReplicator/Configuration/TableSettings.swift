import SourceSupport

/// Settings that apply to every table and that each table may override.
public struct TableSettings: Sendable, Hashable {
    /// Files per round of an export: the cluster's slice count. `nil` (the default) reads it from
    /// Redshift (`stv_slices`) once per run.
    public var slices: Int? = nil
    /// The largest compressed file an export writes (`max_file_size`): an export grows by rounds of
    /// `slices` files so that no file passes it. Default 256 MiB (AWS advises 1 MB to 1 GB).
    public var maxFileSize: Int = 256 << 20
    /// Where export files go before COPY (`stage`). Default ``StageMode/stream``.
    public var stage: StageMode = .stream
    /// Folder for the export files until they are uploaded, with `stage: disk`. Default `/tmp`.
    public var localPath: String = "/tmp"
    /// File format. Default ``ExportFormat/zstd``: against gzip on the same exports, 0.58x the
    /// bytes uploaded, less CPU, and a faster COPY (README, "Performance").
    public var format: ExportFormat = .zstd
    /// How many history records to keep per table (at least 2); `nil` keeps all. Default `nil`.
    public var historyCap: Int? = nil
    /// COPY's `MAXERROR` (0...100000): the load fails once this many rows are rejected; 0 and 1
    /// both fail it at the first. Default 0.
    public var maxCopyErrors: Int = 0
    /// Resumes of one replication before it is canceled and a fresh one starts. Default 5.
    public var maxRetries: Int = 5
    /// Extra COPY options appended verbatim (trusted configuration). Default `TIMEFORMAT 'auto'`.
    public var copyOptions: String = "TIMEFORMAT 'auto'"
    /// Whether the uploaded objects are deleted after a successful import. Default `true`.
    public var deleteS3FilesAfterImport: Bool = true
    /// Whether hard deletes are recorded by a trigger and propagated to Redshift
    /// (`enable_delete_tracking`). A table's `false` wins over a global `true`. Default `false`.
    public var enableDeleteTracking: Bool = false
    /// Whether `ANALYZE` runs after each committed load (`analyze_after_load`). Default `false`.
    public var analyzeAfterLoad: Bool = false
    /// The `VACUUM` run after each committed load (`vacuum_after_load`); `nil` runs none. Default `nil`.
    public var vacuumAfterLoad: VacuumMode? = nil
    /// Seconds the data in Redshift may be old before `rrr status` exits non-zero (`max_lag`, a
    /// duration such as `2 hours`); `nil` checks only for failures. Default `nil`.
    public var maxLagSeconds: Int? = nil
    /// What a source value its Redshift column cannot hold becomes (`invalid_values`): the export
    /// fails naming it, it loads as NULL, or it is cut to the column's width. Default ``InvalidValuePolicy/fail``.
    public var invalidValues: InvalidValuePolicy = .fail

    /// The documented defaults.
    public init() {}
}

/// Per-table overrides of ``TableSettings``; `nil` means "use the global setting".
public struct TableSettingsOverrides: Sendable, Hashable {
    public var slices: Int?
    public var maxFileSize: Int?
    public var stage: StageMode?
    public var localPath: String?
    public var format: ExportFormat?
    public var historyCap: Int?
    public var maxCopyErrors: Int?
    public var maxRetries: Int?
    public var copyOptions: String?
    public var deleteS3FilesAfterImport: Bool?
    public var enableDeleteTracking: Bool?
    public var analyzeAfterLoad: Bool?
    public var vacuumAfterLoad: VacuumMode?
    public var maxLagSeconds: Int?
    public var invalidValues: InvalidValuePolicy?

    /// No overrides.
    public init() {}

    /// `defaults` with every override applied.
    public func applied(to defaults: TableSettings) -> TableSettings {
        var s = defaults
        if let slices { s.slices = slices }
        if let maxFileSize { s.maxFileSize = maxFileSize }
        if let stage { s.stage = stage }
        if let localPath { s.localPath = localPath }
        if let format { s.format = format }
        if let historyCap { s.historyCap = historyCap }
        if let maxCopyErrors { s.maxCopyErrors = maxCopyErrors }
        if let maxRetries { s.maxRetries = maxRetries }
        if let copyOptions { s.copyOptions = copyOptions }
        if let deleteS3FilesAfterImport { s.deleteS3FilesAfterImport = deleteS3FilesAfterImport }
        if let enableDeleteTracking { s.enableDeleteTracking = enableDeleteTracking }
        if let analyzeAfterLoad { s.analyzeAfterLoad = analyzeAfterLoad }
        if let vacuumAfterLoad { s.vacuumAfterLoad = vacuumAfterLoad }
        if let maxLagSeconds { s.maxLagSeconds = maxLagSeconds }
        if let invalidValues { s.invalidValues = invalidValues }
        return s
    }
}

/// How export files reach S3 (`stage`).
public enum StageMode: String, Sendable, Hashable, CaseIterable {
    /// Each file goes to S3 as it is written, in multipart parts: no local disk, the upload
    /// overlaps the export.
    case stream
    /// Files are written to `local_path`, then uploaded.
    case disk
}
