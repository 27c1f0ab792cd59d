/// How `rrr verify` writes a column's value as text before hashing it, chosen by the Redshift
/// column's type so that both databases produce the same text for the same value: the form rrr
/// exports (integers, `t`/`f`, `YYYY-MM-DD`, hex), made exact where Redshift stores the value in
/// its own form (timestamps with six fraction digits, numbers with the column's scale).
enum ChecksumKind: Sendable, Hashable {
    /// SMALLINT, INTEGER, BIGINT: decimal digits.
    case integer
    /// BOOLEAN: `t` / `f` (any non-zero source integer is `t`, as rrr exports it).
    case boolean
    /// DATE: `YYYY-MM-DD`.
    case date
    /// TIMESTAMP / TIMESTAMPTZ: `YYYY-MM-DD HH:MM:SS.ffffff` (UTC: every session of rrr is).
    case timestamp
    /// DECIMAL(p, s): the value at the column's scale (Redshift stores it so).
    case decimal(precision: Int, scale: Int)
    /// REAL / DOUBLE PRECISION: the value rounded to six decimals (floating-point text differs
    /// between databases; a change below 1e-6 is not seen).
    case float
    /// VARBYTE: lower-case hex.
    case bytes
    /// CHAR(n): the text without trailing blanks (Redshift pads CHAR, rrr exports the source's text).
    case paddedText
    /// VARCHAR and everything else: the text as it is.
    case text

    /// The kind for a Redshift column (`information_schema.columns`: data type, precision, scale).
    init(redshiftType: String, precision: Int?, scale: Int?) {
        switch redshiftType.lowercased() {
        case "smallint", "integer", "bigint", "int2", "int4", "int8": self = .integer
        case "boolean", "bool": self = .boolean
        case "date": self = .date
        case "timestamp without time zone", "timestamp with time zone", "timestamp", "timestamptz": self = .timestamp
        case "numeric", "decimal": self = .decimal(precision: precision ?? 18, scale: scale ?? 0)
        case "real", "double precision", "float4", "float8": self = .float
        case "binary varying", "varbyte", "varbinary": self = .bytes
        case "character", "char", "bpchar", "nchar": self = .paddedText
        default: self = .text
        }
    }
}

/// One column compared by `rrr verify`: its name in the source and in Redshift, its source type
/// (as the source's catalog spells it) and how it is normalised.
struct ChecksumColumn: Sendable, Hashable {
    var sourceName: String
    var sourceType: String
    var redshiftName: String
    var kind: ChecksumKind
}

/// How one database spells the parts of the range checksum. The query every side runs is the same
/// (``RangeChecksumQuery``): per bucket of keys, `COUNT(*)` and two sums of 32-bit pieces of the
/// MD5 of each row's normalised text, which no row order changes.
protocol ChecksumSpelling: Sendable {
    /// Quotes a name.
    func quoteIdentifier(_ name: String) -> String
    /// Quotes a table name (may be `schema.table`).
    func quoteTable(_ name: String) -> String
    /// A string literal.
    func quoteLiteral(_ value: String) -> String
    /// The column's value as canonical text for its kind, NULL for NULL.
    func canonical(_ column: ChecksumColumn) -> String
    /// The parts concatenated (none is NULL).
    func concat(_ parts: [String]) -> String
    /// The lower-case hex MD5 of a text expression.
    func md5(_ text: String) -> String
    /// The 8 hex digits of `hex` starting at 1-based `start`, as a non-negative integer.
    func hexInteger(_ hex: String, start: Int) -> String
    /// `(key - lower) / width` in integer arithmetic (key >= lower).
    func bucket(key: String, lower: Int64, width: Int64) -> String
    /// An expression's value as text, for reading it back.
    func asText(_ expression: String) -> String
}

extension ChecksumSpelling {
    func quoteTable(_ name: String) -> String { quoteIdentifier(name) }
    func concat(_ parts: [String]) -> String { parts.joined(separator: " || ") }
    func md5(_ text: String) -> String { "md5(\(text))" }
    func bucket(key: String, lower: Int64, width: Int64) -> String { "((\(key) - \(lower)) / \(width))" }
}
