import CSQLite
import RedshiftCSV
import SourceSupport

/// Turns the current row of a stepped statement into a CSV record (see ``SQLiteValueConversion``).
struct SQLiteRowStream {
    private let conversions: [SQLiteValueConversion]
    private let batchSize: Int
    private var writer: CSVWriter
    private var scratch: [UInt8] = []

    private static let trueText: [UInt8] = [UInt8(ascii: "t")]
    private static let falseText: [UInt8] = [UInt8(ascii: "f")]

    /// The columns naming a row in errors: the key columns, else the first column.
    private let rowNames: [(index: Int, name: String)]
    private let columnNames: [String]
    /// The source table, for errors.
    private let table: String
    /// Per column: whether it is a key column (a NULL there stops the export).
    private let isKey: [Bool]
    /// The columns (their limits and `invalid_values` policies).
    private let columns: [ExportColumn]
    /// Each column's limit, read per value.
    private let limits: [ValueLimit?]
    /// Values written as NULL / cut to width under `invalid_values`, per column.
    private var replacements: ValueReplacements
    var nulledCounts: [Int] { replacements.nulled }
    var truncatedCounts: [Int] { replacements.truncated }

    init(conversions: [SQLiteValueConversion], columns: [ExportColumn], table: String, batchSize: Int) {
        self.conversions = conversions
        self.table = table
        columnNames = columns.map(\.name)
        isKey = columns.map(\.isKey)
        self.columns = columns
        limits = columns.map(\.limit)
        replacements = ValueReplacements(columnCount: columns.count)
        let keys = columns.indices.filter { columns[$0].isKey }.map { ($0, columns[$0].name) }
        rowNames = keys.isEmpty ? columns.prefix(1).map { (0, $0.name) } : keys
        self.batchSize = max(1, batchSize)
        writer = CSVWriter(capacity: self.batchSize + self.batchSize / 4)
    }

    var isBatchFull: Bool { writer.bytes.count >= batchSize }

    mutating func takeBatch() -> CSVRecordBatch { writer.takeBatch() }

    /// - Throws: ``UnloadableValue`` for text holding a NUL character, ``NullKeyValue`` for a key column holding NULL.
    mutating func appendRow(of statement: OpaquePointer) throws {
        for index in conversions.indices {
            let column = Int32(index)
            switch sqlite3_column_type(statement, column) {
            case SQLITE_INTEGER:
                let number = sqlite3_column_int64(statement, column)
                switch conversions[index] {
                case .plain:
                    if limits[index] == nil { writer.append(Int(number)) } else { try writeChecked(String(number), column: index, statement: statement) }
                case .boolean: writer.append(bytes: number == 0 ? Self.falseText : Self.trueText)
                case .epoch(let dateOnly):
                    let (micros, overflow) = number.multipliedReportingOverflow(by: 1_000_000)
                    // An epoch out of any date range is written as its number rather than wrapped.
                    if !overflow {
                        try appendEpoch(micros, dateOnly: dateOnly, column: index, statement: statement)
                    } else if limits[index] == .dateTime {
                        try writeChecked(nil, problem: .outOfRange("of \(number) epoch seconds, after 294276 AD"), column: index, statement: statement)
                    } else {
                        writer.append(Int(number))
                    }
                }
            case SQLITE_FLOAT:
                let number = sqlite3_column_double(statement, column)
                switch conversions[index] {
                case .plain: try appendDouble(number, column: index, statement: statement)
                case .boolean: writer.append(bytes: number == 0 ? Self.falseText : Self.trueText)
                case .epoch(let dateOnly):
                    if let micros = EpochTime.microseconds(fromSeconds: number) {
                        try appendEpoch(micros, dateOnly: dateOnly, column: index, statement: statement)
                    } else if limits[index] == .dateTime {
                        let problem: InvalidValueProblem = number.isFinite
                            ? .outOfRange("of \(number) epoch seconds, outside 4713 BC to 294276 AD") : .notFinite(Self.text(of: number))
                        try writeChecked(nil, problem: problem, column: index, statement: statement)
                    } else {
                        try appendDouble(number, column: index, statement: statement)
                    }
                }
            case SQLITE_TEXT:
                var text = UnsafeBufferPointer(start: sqlite3_column_text(statement, column), count: Int(sqlite3_column_bytes(statement, column)))
                // COPY reads a DATE only as `YYYY-MM-DD`: the time part of an ISO date-time text goes.
                if conversions[index] == .epoch(dateOnly: true), Self.isISODateTime(text) { text = UnsafeBufferPointer(rebasing: text[..<10]) }
                if text.contains(0) { throw unloadable(column: index, statement: statement) }
                try write(text, column: index, statement: statement)
            case SQLITE_BLOB:
                let blob = sqlite3_column_blob(statement, column)
                HexEncoding.encode(
                    UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_column_bytes(statement, column))), into: &scratch)
                if limits[index] == nil { writer.append(bytes: scratch) } else { try writeScratch(column: index, statement: statement) }
            default:
                if isKey[index] { throw NullKeyValue(table: table, column: columnNames[index]) }
                writer.appendNull()
            }
        }
        writer.endRecord()
    }

    private func unloadable(column: Int, statement: OpaquePointer) -> UnloadableValue {
        UnloadableValue(table: table, column: columnNames[column], row: rowDescription(statement))
    }

    /// The row's key columns and values, for errors.
    private func rowDescription(_ statement: OpaquePointer) -> [(String, String)] {
        rowNames.map { index, name in
            switch sqlite3_column_type(statement, Int32(index)) {
            case SQLITE_NULL: return (name, "NULL")
            case SQLITE_INTEGER: return (name, String(sqlite3_column_int64(statement, Int32(index))))
            default:
                return (name, InvalidValue.printable(UnsafeBufferPointer(
                    start: sqlite3_column_text(statement, Int32(index)), count: Int(sqlite3_column_bytes(statement, Int32(index))))))
            }
        }
    }

    /// Whether `text` starts `YYYY-MM-DD` followed by a space or `T` (a date-time, not a date).
    static func isISODateTime(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count > 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
              text[10] == UInt8(ascii: " ") || text[10] == UInt8(ascii: "T") else { return false }
        return [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { text[$0] >= UInt8(ascii: "0") && text[$0] <= UInt8(ascii: "9") }
    }

    private mutating func appendEpoch(_ microseconds: Int64, dateOnly: Bool, column index: Int, statement: OpaquePointer) throws {
        EpochTime.text(microseconds: microseconds, dateOnly: dateOnly, into: &scratch)
        if limits[index] == nil { writer.append(bytes: scratch) } else { try writeScratch(column: index, statement: statement) }
    }

    private mutating func appendDouble(_ number: Double, column index: Int, statement: OpaquePointer) throws {
        var text = Self.text(of: number)
        if limits[index] == nil { text.withUTF8 { writer.append(bytes: $0) } } else { try writeChecked(text, column: index, statement: statement) }
    }

    /// Swift's description is the shortest text that parses back to the same double; Redshift
    /// spells the special values as PostgreSQL does.
    private static func text(of number: Double) -> String {
        number.isNaN ? "NaN" : number.isInfinite ? (number < 0 ? "-Infinity" : "Infinity") : number.description
    }

    /// Writes `value`, or what the column's `invalid_values` makes of it when it fails the column's limit.
    @inline(__always)
    private mutating func write(_ value: UnsafeBufferPointer<UInt8>, column index: Int, statement: OpaquePointer) throws {
        guard let limit = limits[index], let problem = limit.problem(value) else {
            writer.append(bytes: value)
            return
        }
        try replace(value, problem: problem, column: index, statement: statement)
    }

    private mutating func writeScratch(column index: Int, statement: OpaquePointer) throws {
        let bytes = scratch
        try bytes.withUnsafeBufferPointer { try write($0, column: index, statement: statement) }
    }

    /// Writes `text` checked, or handles `problem` found before any text was made.
    private mutating func writeChecked(_ text: String?, problem: InvalidValueProblem? = nil, column index: Int, statement: OpaquePointer) throws {
        var text = text ?? ""
        try text.withUTF8 { bytes in
            if let problem { try replace(bytes, problem: problem, column: index, statement: statement) } else { try write(bytes, column: index, statement: statement) }
        }
    }

    private mutating func replace(_ value: UnsafeBufferPointer<UInt8>, problem: InvalidValueProblem, column index: Int, statement: OpaquePointer) throws {
        guard replacements.write(columns[index].action(for: problem, value: value), value, column: index, into: &writer) else {
            throw InvalidValue(table: table, column: columnNames[index], row: rowDescription(statement), problem: problem,
                               limit: limits[index], policy: columns[index].invalidValues)
        }
    }
}
