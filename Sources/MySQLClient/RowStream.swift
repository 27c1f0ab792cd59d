import CMariaDB
import RedshiftCSV
import SourceSupport

/// Turns `MYSQL_ROW`s into CSV records, reading each value's raw bytes (no String per value).
struct RowStream {
    private let conversions: [MySQLValueConversion]
    private let batchSize: Int
    private var writer: CSVWriter
    private var scratch: [UInt8] = []
    /// Values written as NULL or cut to width because Redshift cannot load them, per column.
    private var replacements: ValueReplacements
    var nulledCounts: [Int] { replacements.nulled }
    var truncatedCounts: [Int] { replacements.truncated }
    /// The columns (their limits and `invalid_values` policies).
    private let columns: [ExportColumn]
    /// Each column's limit, read per value.
    private let limits: [ValueLimit?]

    private static let trueText: [UInt8] = [UInt8(ascii: "t")]
    private static let falseText: [UInt8] = [UInt8(ascii: "f")]

    /// The columns naming a row in errors: the key columns, else the first column.
    private let rowNames: [(index: Int, name: String)]
    private let columnNames: [String]
    /// The source table, for errors.
    private let table: String

    init(conversions: [MySQLValueConversion], columns: [ExportColumn], table: String, batchSize: Int) {
        self.conversions = conversions
        self.columns = columns
        limits = columns.map(\.limit)
        self.table = table
        columnNames = columns.map(\.name)
        let keys = columns.indices.filter { columns[$0].isKey }.map { ($0, columns[$0].name) }
        rowNames = keys.isEmpty ? columns.prefix(1).map { (0, $0.name) } : keys
        self.batchSize = max(1, batchSize)
        writer = CSVWriter(capacity: self.batchSize + self.batchSize / 4)
        replacements = ValueReplacements(columnCount: conversions.count)
    }

    var isBatchFull: Bool { writer.bytes.count >= batchSize }

    mutating func takeBatch() -> CSVRecordBatch { writer.takeBatch() }

    /// - Throws: ``UnloadableValue`` for text holding a NUL character.
    mutating func append(row: MYSQL_ROW, lengths: UnsafeMutablePointer<UInt>) throws {
        for index in conversions.indices {
            guard let pointer = row[index] else {
                writer.appendNull()
                continue
            }
            let value = UnsafeBufferPointer(
                start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: Int(lengths[index]))
            switch conversions[index] {
            case .text:
                if value.contains(0) { throw unloadable(column: index, row: row, lengths: lengths) }
                try write(value, column: index, row: row, lengths: lengths)
            case .boolean:
                let isFalse = value.count == 1 && value[0] == UInt8(ascii: "0")
                writer.append(bytes: isFalse ? Self.falseText : Self.trueText)
            case .temporal(let dateOnly):
                if MySQLValueConversion.isZeroDate(value) {
                    // MySQL's "no date": NULL whatever the policy, where the column takes NULL.
                    guard columns[index].targetIsNullable else {
                        throw invalid(.zeroDate, column: index, row: row, lengths: lengths, policy: .null)
                    }
                    replacements.writeNull(column: index, into: &writer)
                } else {
                    try write(dateOnly && value.count > 10 ? UnsafeBufferPointer(rebasing: value[..<10]) : value,
                              column: index, row: row, lengths: lengths)
                }
            case .bit(let boolean):
                // BIT arrives as big-endian bytes (at most 8).
                var number: UInt64 = 0
                for byte in value { number = number << 8 | UInt64(byte) }
                if boolean {
                    writer.append(bytes: number == 0 ? Self.falseText : Self.trueText)
                } else {
                    appendDecimal(number)
                }
            case .hex:
                HexEncoding.encode(UnsafeRawBufferPointer(value), into: &scratch)
                if limits[index] == nil {
                    writer.append(bytes: scratch)
                } else {
                    let hex = scratch
                    try hex.withUnsafeBufferPointer { try write($0, column: index, row: row, lengths: lengths) }
                }
            }
        }
        writer.endRecord()
    }

    /// Writes `value`, or what the column's `invalid_values` makes of it when it fails the column's limit.
    @inline(__always)
    private mutating func write(_ value: UnsafeBufferPointer<UInt8>, column index: Int, row: MYSQL_ROW, lengths: UnsafeMutablePointer<UInt>) throws {
        guard let limit = limits[index], let problem = limit.problem(value) else {
            writer.append(bytes: value)
            return
        }
        guard replacements.write(columns[index].action(for: problem, value: value), value, column: index, into: &writer) else {
            throw invalid(problem, column: index, row: row, lengths: lengths, policy: columns[index].invalidValues)
        }
    }

    private func invalid(_ problem: InvalidValueProblem, column: Int, row: MYSQL_ROW, lengths: UnsafeMutablePointer<UInt>, policy: InvalidValuePolicy) -> InvalidValue {
        InvalidValue(table: table, column: columnNames[column], row: rowNames.map { index, name in
            guard let pointer = row[index] else { return (name, "NULL") }
            return (name, InvalidValue.printable(UnsafeBufferPointer(
                start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: Int(lengths[index]))))
        }, problem: problem, limit: limits[column], policy: policy)
    }

    private func unloadable(column: Int, row: MYSQL_ROW, lengths: UnsafeMutablePointer<UInt>) -> UnloadableValue {
        UnloadableValue(table: table, column: columnNames[column], row: rowNames.map { index, name in
            guard let pointer = row[index] else { return (name, "NULL") }
            return (name, UnloadableValue.printable(UnsafeBufferPointer(
                start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: Int(lengths[index]))))
        })
    }

    private mutating func appendDecimal(_ number: UInt64) {
        scratch.removeAll(keepingCapacity: true)
        var rest = number
        repeat {
            scratch.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        scratch.reverse()
        writer.append(bytes: scratch)
    }
}
