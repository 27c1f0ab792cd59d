// Stand-in for RedshiftCSV (branch `export`, not merged yet): a copy of its writer's code so the
// clients build and measure against the same behaviour; deleted when the branch is merged.
public struct CSVRecordBatch: Sendable, Hashable {
    public var bytes: [UInt8]
    public var recordCount: Int
    public init(bytes: [UInt8] = [], recordCount: Int = 0) {
        self.bytes = bytes
        self.recordCount = recordCount
    }
}

public struct CSVWriter: Sendable {
            /// The bytes written since the last ``takeBatch()``: complete records, then the current one.
    public private(set) var bytes: [UInt8]
    /// Records completed by ``endRecord()`` since the last ``takeBatch()``.
    public private(set) var recordCount = 0
    private var fieldsInRecord = 0
    private let delimiter = UInt8(44), quote = UInt8(34), nullMarker: [UInt8] = [92, 78]
    private let initialCapacity: Int

    /// Creates a writer.
    /// - Parameters:
    ///   - format: the dialect, default ``CSVFormat/default``.
    ///   - capacity: bytes reserved up front and after each ``takeBatch()``, default 1 MiB.
    public init(capacity: Int = 1 << 20) {
        self.initialCapacity = capacity
        self.bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends a NULL field: the bare NULL marker.
    public mutating func appendNull() {
        startField()
        bytes.append(contentsOf: nullMarker)
    }

    /// Appends a text field (its UTF-8 bytes), quoting it when needed.
    public mutating func append(_ field: String) {
        var field = field
        field.withUTF8 { appendField($0) }
    }

    /// Appends a text field, or NULL when `field` is nil.
    public mutating func append(_ field: String?) {
        if let field { append(field) } else { appendNull() }
    }

    /// Appends a field from raw bytes (normally UTF-8 text), quoting it when needed.
    public mutating func append(bytes field: some Collection<UInt8>) {
        let done: Void? = field.withContiguousStorageIfAvailable { appendField($0) }
        if done == nil { Array(field).withUnsafeBufferPointer { appendField($0) } }
    }

    /// Appends an integer field in decimal, without allocating.
    public mutating func append(_ value: Int) {
        startField()
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var position = digits.count
            repeat {
                position -= 1
                digits[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[position...]))
        }
    }

    /// Ends the current record with LF. A record with no field is written as an empty line.
    public mutating func endRecord() {
        bytes.append(UInt8(10))
        recordCount += 1
        fieldsInRecord = 0
    }

    /// Returns the complete records written so far and starts a new, empty buffer.
    /// - Precondition: no record is half written.
    public mutating func takeBatch() -> CSVRecordBatch {
        precondition(fieldsInRecord == 0, "takeBatch() called in the middle of a record")
        var fresh: [UInt8] = []
        fresh.reserveCapacity(initialCapacity)
        let batch = CSVRecordBatch(bytes: bytes, recordCount: recordCount)
        bytes = fresh
        recordCount = 0
        return batch
    }

    // MARK: - Encoding

    private mutating func startField() {
        if fieldsInRecord > 0 { bytes.append(delimiter) }
        fieldsInRecord += 1
    }

    private mutating func appendField(_ field: UnsafeBufferPointer<UInt8>) {
        startField()
        if needsQuotes(field) {
            appendQuoted(field)
        } else {
            bytes.append(contentsOf: field)
        }
    }

    private func needsQuotes(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = field.first, let last = field.last else { return true }
        if first == UInt8(32) || last == UInt8(32) { return true }
        let delimiter = delimiter, quote = quote
        for byte in field
        where byte == delimiter || byte == quote || byte == UInt8(10) || byte == UInt8(13) {
            return true
        }
        return field.count == 2 && field[0] == 92 && field[1] == 78
    }

    private mutating func appendQuoted(_ field: UnsafeBufferPointer<UInt8>) {
        let quote = quote
        bytes.append(quote)
        var runStart = 0
        for index in field.indices where field[index] == quote {
            // Copy through this quote, then double it.
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: field[runStart...index]))
            bytes.append(quote)
            runStart = index + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: field[runStart...]))
        bytes.append(quote)
    }
}
