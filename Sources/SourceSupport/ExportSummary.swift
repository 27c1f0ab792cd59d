import RedshiftCSV
/// What a streaming export produced.
public struct ExportSummary: Sendable, Hashable, CustomStringConvertible {
    /// Records handed to the sink.
    public var rowCount: Int = 0
    /// CSV bytes handed to the sink.
    public var byteCount: Int = 0
    /// Values the source held but Redshift cannot load, written as NULL instead, per column name
    /// (MySQL zero dates such as `0000-00-00`). Empty when there were none.
    public var nulledValues: [String: Int] = [:]
    /// Values cut to their Redshift column's width (`invalid_values: truncate`), per column name.
    public var truncatedValues: [String: Int] = [:]

    /// Creates an empty summary.
    public init() {}

    /// All values written as NULL instead of their unloadable source value.
    public var nulledValueCount: Int { nulledValues.values.reduce(0, +) }

    /// Adds the counts of another share of the same export (parallel readers).
    public mutating func add(_ other: ExportSummary) {
        rowCount += other.rowCount
        byteCount += other.byteCount
        nulledValues.merge(other.nulledValues, uniquingKeysWith: +)
        truncatedValues.merge(other.truncatedValues, uniquingKeysWith: +)
    }

    public var description: String {
        var text = "\(rowCount) rows, \(byteCount) bytes"
        if !nulledValues.isEmpty {
            let columns = nulledValues.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            text += ", nulled unloadable values (\(columns.joined(separator: ", ")))"
        }
        if !truncatedValues.isEmpty {
            let columns = truncatedValues.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            text += ", truncated values (\(columns.joined(separator: ", ")))"
        }
        return text
    }
}

/// Receives complete CSV records from an export, in order; throwing stops the export.
///
/// Batches are about the export's `batchSize` (a record is never split, so one huge record makes a
/// bigger batch). The sink runs off the connection's thread; the export waits for it (backpressure).
public typealias RecordBatchSink = @Sendable (CSVRecordBatch) async throws -> Void

/// The default size of the batches an export hands to its sink: 256 KiB.
public let defaultExportBatchSize = 256 << 10
