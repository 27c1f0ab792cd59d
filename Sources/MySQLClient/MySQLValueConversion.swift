import CMariaDB
import SourceSupport

/// How one result column's text-protocol values become what Redshift's COPY accepts.
///
/// Decided once per column from the MySQL field type and the Redshift target:
/// - numbers (integers, DECIMAL exactly as the server prints it, DOUBLE in its shortest round-trip
///   form; FLOAT is selected as DOUBLE because the server prints FLOAT with only 6 digits), TIME, YEAR,
///   text, ENUM, SET and JSON pass through as their text;
/// - integers into a BOOLEAN target become `t` (non-zero) / `f`;
/// - DATE, DATETIME, TIMESTAMP pass through (`YYYY-MM-DD HH:MM:SS[.ffffff]`; TIMESTAMP in UTC), except
///   dates with a zero month or day (`0000-00-00`), which Redshift cannot load: NULL, counted;
///   into a DATE target only the date part is kept;
/// - BIT becomes its unsigned integer (or `t`/`f` into BOOLEAN);
/// - binary strings (BINARY, VARBINARY, BLOB: charset 63) and GEOMETRY become hex, for VARBYTE.
enum MySQLValueConversion: Equatable {
    case text
    case boolean
    case temporal(dateOnly: Bool)
    case bit(boolean: Bool)
    case hex

    /// The MySQL "binary" character set number: BINARY/VARBINARY/BLOB values are bytes, not text.
    static let binaryCharset: UInt32 = 63

    init(field: MYSQL_FIELD, target: RedshiftTarget) {
        let type = field.type
        switch type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_INT24, MYSQL_TYPE_LONGLONG:
            self = target == .boolean ? .boolean : .text
        case MYSQL_TYPE_DATE, MYSQL_TYPE_NEWDATE, MYSQL_TYPE_DATETIME, MYSQL_TYPE_TIMESTAMP,
            MYSQL_TYPE_DATETIME2, MYSQL_TYPE_TIMESTAMP2:
            self = .temporal(dateOnly: target == .date)
        case MYSQL_TYPE_BIT:
            self = .bit(boolean: target == .boolean)
        case MYSQL_TYPE_GEOMETRY:
            self = .hex
        case MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB, MYSQL_TYPE_BLOB,
            MYSQL_TYPE_VAR_STRING, MYSQL_TYPE_STRING, MYSQL_TYPE_VARCHAR:
            let isEnumOrSet = field.flags & UInt32(ENUM_FLAG | SET_FLAG) != 0
            self = field.charsetnr == Self.binaryCharset && !isEnumOrSet ? .hex : .text
        default:
            self = .text
        }
    }

    /// Whether the column must be selected as `CAST(... AS DOUBLE)` to keep its full precision.
    static func needsDoubleCast(_ field: MYSQL_FIELD) -> Bool { field.type == MYSQL_TYPE_FLOAT }

    /// Whether a DATE/DATETIME/TIMESTAMP text value has a zero month or day (`0000-00-00`, `2020-00-10`).
    @inline(__always)
    static func isZeroDate(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard value.count >= 10 else { return false }
        let zero = UInt8(ascii: "0")
        return (value[5] == zero && value[6] == zero) || (value[8] == zero && value[9] == zero)
    }
}
