public import RedshiftCSV

/// The values an export replaced under `invalid_values`, per column, and how a replacement is
/// written: one implementation for the sources whose client checks values (MySQL, SQLite).
public struct ValueReplacements: Sendable {
    /// Values written as NULL, per column.
    public private(set) var nulled: [Int]
    /// Values cut to their column's width (`invalid_values: truncate`), per column.
    public private(set) var truncated: [Int]

    public init(columnCount: Int) {
        nulled = Array(repeating: 0, count: columnCount)
        truncated = nulled
    }

    /// Writes what `action` makes of `value` in column `index`; false for ``InvalidValueAction/fail``,
    /// which the caller throws as an ``InvalidValue`` naming the row (only it knows the row).
    @inline(__always)
    public mutating func write(_ action: InvalidValueAction, _ value: UnsafeBufferPointer<UInt8>, column index: Int,
                               into writer: inout CSVWriter) -> Bool {
        switch action {
        case .fail:
            return false
        case .null:
            writeNull(column: index, into: &writer)
        case .truncate(let length):
            truncated[index] += 1
            writer.append(bytes: UnsafeBufferPointer(rebasing: value[..<length]))
        }
        return true
    }

    /// Writes NULL for a value of column `index` that Redshift cannot hold, counted.
    @inline(__always)
    public mutating func writeNull(column index: Int, into writer: inout CSVWriter) {
        nulled[index] += 1
        writer.appendNull()
    }
}
