/// A Redshift column type `rrr schema` declares (c_Supported_data_types). Lengths of character
/// types count bytes, not characters (r_Character_types).
public enum RedshiftColumnType: Sendable, Hashable, CustomStringConvertible {
    case smallint, integer, bigint
    /// `DECIMAL(precision, scale)`, precision 1...38 (r_Numeric_types201).
    case decimal(precision: Int, scale: Int)
    case real, doublePrecision
    case boolean
    /// `VARCHAR(bytes)`, 1...65535 bytes.
    case varchar(bytes: Int)
    case date, timestamp, timestamptz, time, timetz
    /// `VARBYTE(bytes)`, 1...1,024,000 bytes (r_VARBYTE_type).
    case varbyte(bytes: Int)
    /// Semistructured data loaded from JSON text (r_SUPER_type).
    case `super`

    /// The longest VARCHAR: 65535 bytes.
    public static let maxVarcharBytes = 65_535
    /// The longest VARBYTE: 1,024,000 bytes.
    public static let maxVarbyteBytes = 1_024_000
    /// DECIMAL's largest precision.
    public static let maxDecimalPrecision = 38

    /// A VARCHAR holding `characters` characters of UTF-8 text: up to 4 bytes each, capped at 65535.
    public static func utf8Varchar(characters: Int) -> RedshiftColumnType {
        .varchar(bytes: max(characters, 1) > maxVarcharBytes / 4 ? maxVarcharBytes : max(characters, 1) * 4)
    }

    /// The longest VARCHAR (unbounded text).
    public static var longVarchar: RedshiftColumnType { .varchar(bytes: maxVarcharBytes) }

    /// A VARBYTE of `bytes`, capped at Redshift's limit.
    public static func varbyteCapped(_ bytes: Int) -> RedshiftColumnType { .varbyte(bytes: min(max(bytes, 1), maxVarbyteBytes)) }

    /// The type as written in `CREATE TABLE`.
    public var description: String {
        switch self {
        case .smallint: return "SMALLINT"
        case .integer: return "INTEGER"
        case .bigint: return "BIGINT"
        case .decimal(let precision, let scale): return "DECIMAL(\(precision),\(scale))"
        case .real: return "REAL"
        case .doublePrecision: return "DOUBLE PRECISION"
        case .boolean: return "BOOLEAN"
        case .varchar(let bytes): return "VARCHAR(\(bytes))"
        case .date: return "DATE"
        case .timestamp: return "TIMESTAMP"
        case .timestamptz: return "TIMESTAMPTZ"
        case .time: return "TIME"
        case .timetz: return "TIMETZ"
        case .varbyte(let bytes): return "VARBYTE(\(bytes))"
        case .super: return "SUPER"
        }
    }

    /// Whether the type may be a sort or distribution key: neither SUPER (limitations-super) nor
    /// VARBYTE (r_VARBYTE_type, "Limitations") may.
    var canBeKey: Bool {
        switch self {
        case .super, .varbyte: return false
        default: return true
        }
    }
}
