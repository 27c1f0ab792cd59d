import CMariaDB
import RedshiftCSV
import SourceSupport

/// Turns `MYSQL_ROW`s into CSV records, reading each value's raw bytes (no String per value).
struct RowStream {
    private let conversions: [MySQLValueConversion]
    private let batchSize: Int
    private var writer: CSVWriter
    private var scratch: [UInt8] = []
    /// Values written as NULL because Redshift cannot load them, per column.
    private(set) var nulledCounts: [Int]

    private static let trueText: [UInt8] = [UInt8(ascii: "t")]
    private static let falseText: [UInt8] = [UInt8(ascii: "f")]

    init(conversions: [MySQLValueConversion], batchSize: Int) {
        self.conversions = conversions
        self.batchSize = max(1, batchSize)
        writer = CSVWriter(capacity: self.batchSize + self.batchSize / 4)
        nulledCounts = Array(repeating: 0, count: conversions.count)
    }

    var isBatchFull: Bool { writer.bytes.count >= batchSize }

    mutating func takeBatch() -> CSVRecordBatch { writer.takeBatch() }

    mutating func append(row: MYSQL_ROW, lengths: UnsafeMutablePointer<UInt>) {
        for index in conversions.indices {
            guard let pointer = row[index] else {
                writer.appendNull()
                continue
            }
            let value = UnsafeBufferPointer(
                start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: Int(lengths[index]))
            switch conversions[index] {
            case .text:
                writer.append(bytes: value)
            case .boolean:
                let isFalse = value.count == 1 && value[0] == UInt8(ascii: "0")
                writer.append(bytes: isFalse ? Self.falseText : Self.trueText)
            case .temporal(let dateOnly):
                if MySQLValueConversion.isZeroDate(value) {
                    nulledCounts[index] += 1
                    writer.appendNull()
                } else {
                    writer.append(bytes: dateOnly && value.count > 10 ? UnsafeBufferPointer(rebasing: value[..<10]) : value)
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
                writer.append(bytes: scratch)
            }
        }
        writer.endRecord()
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
