/// How far a running export got; published about twice a second while rows stream.
public struct ExportProgress: Sendable, Hashable {
    /// The table's configured name.
    public var table: String
    /// Rows written so far.
    public var rows: Int64
    /// CSV bytes written so far (before compression).
    public var bytes: Int64
    /// Seconds since the export started.
    public var seconds: Double
    /// Whether the export has finished (the last report of an export).
    public var finished: Bool

    /// Rows per second so far.
    public var rowsPerSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }
}
