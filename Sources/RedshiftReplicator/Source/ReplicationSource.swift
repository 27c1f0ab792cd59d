import Logging
import RedshiftCSV
import SourceSupport

/// A database rrr replicates from: PostgreSQL, MySQL/MariaDB or SQLite.
///
/// One value per run; it owns its connections and is closed with ``close()``.
public protocol ReplicationSource: Sendable {
    /// How this database quotes names and values.
    var dialect: any SQLDialect { get }

    /// The columns of `table` in table order.
    func columns(of table: String, logger: Logger) async throws -> [SourceColumn]

    /// The primary key columns of `table`, in key order (empty when it has none).
    func primaryKey(of table: String, logger: Logger) async throws -> [String]

    /// Exports one range of `request.table` in a single consistent snapshot: reads the bounds,
    /// the NULL-field count and the row count, calls `boundsRead` (to persist them before any row
    /// is written), then streams the rows as CSV record batches into `sink`.
    func export(
        _ request: ExportRequest, logger: Logger,
        boundsRead: @Sendable (ExportBounds) async throws -> Void,
        sink: (CSVRecordBatch) async throws -> Void
    ) async throws -> ExportResult

    /// Runs `body` while holding the exclusive per-table lock named `key` on a session held for
    /// the whole call. Returns `nil` without running `body` when another process holds it and
    /// `wait` is `false`.
    func withTableLock<T: Sendable>(_ key: String, wait: Bool, logger: Logger, body: () async throws -> T) async throws -> T?

    /// The replication history kept in this database.
    var history: any HistoryStore { get }

    /// Closes every connection.
    func close() async

    /// Whether the export itself refuses a row whose key column holds NULL (checked row by row in
    /// the export's snapshot), so a key column declared nullable can be accepted. Default `false`:
    /// a key column that can hold NULL is refused before the export.
    var refusesNullKeysAtExport: Bool { get }
}

extension ReplicationSource {
    public var refusesNullKeysAtExport: Bool { false }
}

/// A source column.
public struct SourceColumn: Sendable, Hashable {
    /// The column name.
    public var name: String
    /// The database's type name (e.g. `timestamp with time zone`).
    public var typeName: String
    /// How rrr writes the value for Redshift.
    public var conversion: ColumnConversion
    /// Whether the column can hold NULL (declared without NOT NULL). Default `false`.
    public var isNullable: Bool

    /// Creates a column description.
    public init(name: String, typeName: String, conversion: ColumnConversion, isNullable: Bool = false) {
        self.name = name; self.typeName = typeName; self.conversion = conversion; self.isNullable = isNullable
    }
}

/// The value form rrr exports for a column so Redshift's COPY accepts it.
public enum ColumnConversion: Sendable, Hashable {
    /// The database's text form, unchanged (numbers, text, dates, booleans as t/f, uuid, json, enums,
    /// arrays; timestamptz in UTC, since export sessions run with `TimeZone 'UTC'`, with up to six
    /// fraction digits and a `+00` offset: no `to_char`, which cost a quarter of the export time).
    case text
    /// Binary data as hex digits (for VARBYTE).
    case hex
}

/// What to export.
public struct ExportRequest: Sendable {
    /// The source table (may be `schema.table`).
    public var table: String
    /// The columns to export, in the order of the Redshift table, each with the kind of Redshift
    /// column it loads into (a TINYINT(1) loading into BOOLEAN is written as `t`/`f`).
    public var columns: [ExportColumn]
    /// Which rows.
    public var range: ExportRange
    /// The CSV dialect (its NULL marker is what COPY's `NULL AS` names).
    public var format: CSVFormat
    /// The most sessions that may read this export at once (a whole table split in shares); `nil`:
    /// the source's own choice. Parallel tables set it from the free source connection budget.
    public var maxReaders: Int? = nil
    /// Whether the replication field holds times (the timed strategy): where values do not compare
    /// as stored (SQLite), the bounds then compare instants. A `.next` range with a lookback in
    /// seconds always does.
    public var fieldHoldsTimes = false

    /// Creates a request.
    public init(table: String, columns: [ExportColumn], range: ExportRange, format: CSVFormat = .default) {
        self.table = table; self.columns = columns; self.range = range; self.format = format
    }

    /// Creates a request for columns converted by their source type alone.
    public init(table: String, columns: [String], range: ExportRange, format: CSVFormat = .default) {
        self.init(table: table, columns: columns.map { ExportColumn($0) }, range: range, format: format)
    }
}

/// The rows an export selects.
public enum ExportRange: Sendable, Hashable {
    /// Every row (full strategy).
    case all
    /// A new increment: rows with `field > previousUpper - lookback` (or every non-NULL row when
    /// there is no previous upper) up to the current `MAX(field)` read in the export's snapshot.
    case next(field: String, previousUpper: String?, lookback: Lookback)
    /// The same range again (resuming a replication): `field > lower AND field <= upper`.
    case fixed(field: String, lower: String?, upper: String?)
    /// The rows whose integer key `column` lies in one of `ranges` (`rrr verify --repair`).
    case keys(column: String, ranges: [KeyRange])
}

/// Bounds and counts read in the export's snapshot, before the rows.
public struct ExportBounds: Sendable, Hashable {
    /// Exclusive lower bound actually used (after the lookback), `nil` = unbounded.
    public var lower: String?
    /// Inclusive upper bound, `nil` when no row has a non-NULL field (nothing to export).
    public var upper: String?
    /// Rows whose replication field is NULL: never exported by timed/identity, reported instead.
    public var nullFieldCount: Int64
    /// Age in seconds of the oldest write transaction open in the source at the snapshot.
    public var oldestWriteTransactionAge: Int64?
    /// Rows whose timed replication field is later than the source's current time: left out of
    /// this range (the upper bound is clamped to the current time) and read again by later runs.
    public var futureFieldCount: Int64 = 0

    /// Creates bounds.
    public init(lower: String?, upper: String?, nullFieldCount: Int64 = 0, oldestWriteTransactionAge: Int64? = nil) {
        self.lower = lower; self.upper = upper
        self.nullFieldCount = nullFieldCount; self.oldestWriteTransactionAge = oldestWriteTransactionAge
    }
}

/// The outcome of an export.
public struct ExportResult: Sendable, Hashable {
    /// The bounds used.
    public var bounds: ExportBounds
    /// Rows written.
    public var recordCount: Int64
    /// Bytes of CSV written (before compression).
    public var byteCount: Int64
    /// Source values Redshift cannot load, written as NULL instead, per column (MySQL zero dates,
    /// `invalid_values: null | truncate`).
    public var nulledValues: [String: Int] = [:]
    /// Source values cut to their Redshift column's width (`invalid_values: truncate`), per column.
    public var truncatedValues: [String: Int] = [:]

    /// All values written as NULL instead of their unloadable source value.
    public var nulledValueCount: Int { nulledValues.values.reduce(0, +) }
    /// All values written other than the source held them: nulled or truncated.
    public var replacedValueCount: Int { nulledValueCount + truncatedValues.values.reduce(0, +) }
}
