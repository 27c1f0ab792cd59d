import SourceSupport

/// What a column's values become, decided once per column from the Redshift target or, when that is
/// `.automatic`, the column's declared type; applied per value by storage class (SQLite is dynamically
/// typed, so one column can hold several):
/// - INTEGER: decimal text; `t`/`f` (non-zero / zero) for booleans; for dates and timestamps, Unix
///   epoch seconds written as UTC `YYYY-MM-DD HH:MM:SS` (or `YYYY-MM-DD`).
/// - REAL: the shortest text that reads back as the same double (`NaN`, `Infinity`, `-Infinity` for
///   the special values); booleans and epoch dates as for INTEGER (fractions kept to microseconds).
/// - TEXT: the bytes as stored. Dates stored as ISO-8601 text (what Rails and most apps write) pass
///   through unchanged; Redshift's `TIMEFORMAT 'auto'` reads them. Julian-day numbers are not supported.
/// - BLOB: lower-case hex, for VARBYTE.
/// Declared types map as: containing `BOOL` -> boolean; `DATETIME` or `TIMESTAMP` -> timestamp;
/// other `DATE` -> date; anything else converts by storage class alone.
enum SQLiteValueConversion: Equatable {
    case plain
    case boolean
    case epoch(dateOnly: Bool)

    init(target: RedshiftTarget, declaredType: String?) {
        switch target {
        case .boolean: self = .boolean
        case .date: self = .epoch(dateOnly: true)
        case .timestamp: self = .epoch(dateOnly: false)
        case .varbyte: self = .plain
        case .automatic:
            let declared = (declaredType ?? "").uppercased()
            if declared.contains("BOOL") {
                self = .boolean
            } else if declared.contains("DATETIME") || declared.contains("TIMESTAMP") {
                self = .epoch(dateOnly: false)
            } else if declared.contains("DATE") {
                self = .epoch(dateOnly: true)
            } else {
                self = .plain
            }
        }
    }
}
