/// A target column of a COPY, with the type facts the row checks need.
struct LoadColumn: Sendable {
    enum Kind: Sendable, Equatable {
        case smallint, integer, bigint
        case decimal(precision: Int, scale: Int)
        case real, double, boolean
        /// CHAR(n): single-byte characters only.
        case char(length: Int)
        /// VARCHAR(n): n counts bytes on Redshift; nil = unbounded (PostgreSQL `text`).
        case varchar(length: Int?)
        case date, timestamp, timestamptz, time, timetz
        /// VARBYTE (PostgreSQL `bytea`): hexadecimal in the file.
        case varbyte
        /// SUPER (the emulator's domain over jsonb): JSON text.
        case `super`
        /// Any other PostgreSQL type: passed through for PostgreSQL to parse.
        case other
    }

    var name: String
    var kind: Kind
    var notNull: Bool
    /// As `format_type` prints it (`character varying(5)`).
    var typeName: String
    /// PostgreSQL's short type name (`varchar`, `int4`), as stl_load_errors.type shows it.
    var shortTypeName: String
    /// The declared length for stl_load_errors.col_length.
    var lengthText: String

    var isCharacter: Bool {
        switch kind {
        case .char, .varchar: return true
        default: return false
        }
    }

    /// Builds the column from `pg_type.typname` and `pg_attribute.atttypmod`.
    init(name: String, typname: String, typmod: Int, notNull: Bool, typeName: String) {
        self.name = name
        self.notNull = notNull
        self.typeName = typeName
        self.shortTypeName = String(typname.prefix(10))
        self.lengthText = "0"
        switch typname {
        case "int2": kind = .smallint
        case "int4": kind = .integer
        case "int8": kind = .bigint
        case "numeric":
            if typmod >= 4 {
                let precision = (typmod - 4) >> 16, scale = (typmod - 4) & 0xFFFF
                kind = .decimal(precision: precision, scale: scale)
                lengthText = "\(precision),\(scale)"
            } else {
                kind = .decimal(precision: 38, scale: 0)
            }
        case "float4": kind = .real
        case "float8": kind = .double
        case "bool": kind = .boolean
        case "bpchar":
            kind = .char(length: max(typmod - 4, 1))
            lengthText = "\(max(typmod - 4, 1))"
        case "varchar":
            kind = .varchar(length: typmod >= 4 ? typmod - 4 : nil)
            lengthText = typmod >= 4 ? "\(typmod - 4)" : "0"
        case "text": kind = .varchar(length: nil)
        case "date": kind = .date
        case "timestamp": kind = .timestamp
        case "timestamptz": kind = .timestamptz
        case "time": kind = .time
        case "timetz": kind = .timetz
        case "bytea": kind = .varbyte
        case "super": kind = .super
        default: kind = .other
        }
    }
}

/// One rejected row, as it goes to stl_load_errors.
struct LoadError: Sendable {
    var code: Int
    var reason: String
    var column: String = ""
    var type: String = ""
    var columnLength: String = ""
    var position = 0
    var rawField: [UInt8] = []
    var lineNumber = 0
    var rawLine: [UInt8] = []
    var fileName = ""

    init(code: Int, reason: String, column: LoadColumn? = nil, rawField: [UInt8] = []) {
        self.code = code
        self.reason = reason
        if let column {
            self.column = column.name
            self.type = column.shortTypeName
            self.columnLength = column.lengthText
        }
        self.rawField = Array(rawField.prefix(1024))
    }
}
