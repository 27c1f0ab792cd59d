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

    init(conversions: [SQLiteValueConversion], columns: [ExportColumn], table: String, batchSize: Int) {
        self.conversions = conversions
        self.table = table
        columnNames = columns.map(\.name)
        isKey = columns.map(\.isKey)
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
                case .plain: writer.append(Int(number))
                case .boolean: writer.append(bytes: number == 0 ? Self.falseText : Self.trueText)
                case .epoch(let dateOnly):
                    let (micros, overflow) = number.multipliedReportingOverflow(by: 1_000_000)
                    // An epoch out of any date range is written as its number rather than wrapped.
                    if overflow { writer.append(Int(number)) } else { appendEpoch(micros, dateOnly: dateOnly) }
                }
            case SQLITE_FLOAT:
                let number = sqlite3_column_double(statement, column)
                switch conversions[index] {
                case .plain: appendDouble(number)
                case .boolean: writer.append(bytes: number == 0 ? Self.falseText : Self.trueText)
                case .epoch(let dateOnly):
                    if let micros = EpochTime.microseconds(fromSeconds: number) {
                        appendEpoch(micros, dateOnly: dateOnly)
                    } else {
                        appendDouble(number)
                    }
                }
            case SQLITE_TEXT:
                var text = UnsafeBufferPointer(start: sqlite3_column_text(statement, column), count: Int(sqlite3_column_bytes(statement, column)))
                // COPY reads a DATE only as `YYYY-MM-DD`: the time part of an ISO date-time text goes.
                if conversions[index] == .epoch(dateOnly: true), Self.isISODateTime(text) { text = UnsafeBufferPointer(rebasing: text[..<10]) }
                if text.contains(0) { throw unloadable(column: index, statement: statement) }
                writer.append(bytes: text)
            case SQLITE_BLOB:
                let blob = sqlite3_column_blob(statement, column)
                HexEncoding.encode(
                    UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_column_bytes(statement, column))), into: &scratch)
                writer.append(bytes: scratch)
            default:
                if isKey[index] { throw NullKeyValue(table: table, column: columnNames[index]) }
                writer.appendNull()
            }
        }
        writer.endRecord()
    }

    private func unloadable(column: Int, statement: OpaquePointer) -> UnloadableValue {
        UnloadableValue(table: table, column: columnNames[column], row: rowNames.map { index, name in
            switch sqlite3_column_type(statement, Int32(index)) {
            case SQLITE_NULL: return (name, "NULL")
            case SQLITE_INTEGER: return (name, String(sqlite3_column_int64(statement, Int32(index))))
            default:
                return (name, UnloadableValue.printable(UnsafeBufferPointer(
                    start: sqlite3_column_text(statement, Int32(index)), count: Int(sqlite3_column_bytes(statement, Int32(index))))))
            }
        })
    }

    /// Whether `text` starts `YYYY-MM-DD` followed by a space or `T` (a date-time, not a date).
    static func isISODateTime(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count > 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
              text[10] == UInt8(ascii: " ") || text[10] == UInt8(ascii: "T") else { return false }
        return [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { text[$0] >= UInt8(ascii: "0") && text[$0] <= UInt8(ascii: "9") }
    }

    private mutating func appendEpoch(_ microseconds: Int64, dateOnly: Bool) {
        EpochTime.text(microseconds: microseconds, dateOnly: dateOnly, into: &scratch)
        writer.append(bytes: scratch)
    }

    private mutating func appendDouble(_ number: Double) {
        // Swift's description is the shortest text that parses back to the same double; Redshift
        // spells the special values as PostgreSQL does.
        var text = number.isNaN ? "NaN" : number.isInfinite ? (number < 0 ? "-Infinity" : "Infinity") : number.description
        text.withUTF8 { writer.append(bytes: $0) }
    }
}
