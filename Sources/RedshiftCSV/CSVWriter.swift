/// Appends records in Redshift's CSV dialect (see ``CSVFormat``) to a byte buffer.
///
/// Call `append` once per field, then ``endRecord()``; take the bytes with ``takeBatch()``.
/// A field is quoted when it is empty, equals the NULL marker, starts or ends with a space, or
/// contains the delimiter, the quote, CR or LF; quotes inside are doubled, CR and LF are kept.
/// ``appendNull()`` writes the bare marker. Other bytes pass through untouched, including invalid
/// UTF-8 and NUL: the writer never alters data. (Redshift's COPY rejects NUL in CHAR/VARCHAR unless
/// `NULL AS '\0'` is used, per "Preparing your input data"; cleaning such values is the caller's
/// policy, not the encoder's.)
public struct CSVWriter: Sendable {
    /// The dialect written.
    public let format: CSVFormat
    /// The bytes written since the last ``takeBatch()``: complete records, then the current one.
    public private(set) var bytes: [UInt8]
    /// Records completed by ``endRecord()`` since the last ``takeBatch()``.
    public private(set) var recordCount = 0
    private var fieldsInRecord = 0
    private let initialCapacity: Int

    /// Creates a writer.
    /// - Parameters:
    ///   - format: the dialect, default ``CSVFormat/default``.
    ///   - capacity: bytes reserved up front and after each ``takeBatch()``, default 1 MiB.
    public init(format: CSVFormat = .default, capacity: Int = 1 << 20) {
        self.format = format
        self.initialCapacity = capacity
        self.bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends a NULL field: the bare NULL marker.
    public mutating func appendNull() {
        startField()
        bytes.append(contentsOf: format.nullMarker)
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
        bytes.append(.lineFeed)
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
        if fieldsInRecord > 0 { bytes.append(format.delimiter) }
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
        if first == .space || last == .space { return true }
        let delimiter = format.delimiter, quote = format.quote
        for byte in field
        where byte == delimiter || byte == quote || byte == .lineFeed || byte == .carriageReturn {
            return true
        }
        return format.isNullMarker(field)
    }

    private mutating func appendQuoted(_ field: UnsafeBufferPointer<UInt8>) {
        let quote = format.quote
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
