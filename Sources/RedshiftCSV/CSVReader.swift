/// Reads Redshift CSV (see ``CSVFormat``) from a byte stream fed in arbitrary chunks.
///
/// Feed bytes as they arrive (from a decompressor reading S3, say), pull records with
/// ``nextRecord()`` until it returns nil (it needs more input), and call ``finish()`` at the end of
/// the input so the last record, which may lack a line terminator, comes out:
///
/// ```swift
/// var reader = CSVReader()
/// for chunk in chunks {
///     reader.feed(chunk)
///     while let record = try reader.nextRecord() { ... }
/// }
/// reader.finish()
/// while let record = try reader.nextRecord() { ... }
/// ```
///
/// Records end with LF or CRLF (a lone CR is data). A record may span any number of chunks; only
/// the unfinished record is buffered, up to ``maximumRecordSize``. After an error about one record
/// (``CSVError/Code/quoteInUnquotedField``, ``CSVError/Code/dataAfterClosingQuote``) the next call
/// continues with the following record, so a loader can count errors against a MAXERROR budget.
public struct CSVReader: Sendable {
    /// The dialect read.
    public let format: CSVFormat
    /// The largest record accepted, in bytes. Default 4 MiB (Redshift's row limit is 4 MB).
    public let maximumRecordSize: Int

    private var buffer: [UInt8] = []
    /// Where the unfinished record starts in `buffer`.
    private var recordStart = 0
    /// Where scanning resumes in `buffer` (bytes before it are already scanned).
    private var scanPosition = 0
    private var scanner: CSVRecordScanner
    private var nextLineNumber = 1
    /// Fields in the previous record: the capacity reserved for the next one.
    private var lastFieldCount = 8
    private var inputFinished = false
    private var terminalError: CSVError?

    /// Creates a reader.
    /// - Parameters:
    ///   - format: the dialect, default ``CSVFormat/default``.
    ///   - maximumRecordSize: the largest record accepted in bytes, default 4 MiB.
    public init(format: CSVFormat = .default, maximumRecordSize: Int = 4 << 20) {
        self.format = format
        self.maximumRecordSize = maximumRecordSize
        self.scanner = CSVRecordScanner(format: format)
    }

    /// Appends the next bytes of the input.
    /// - Precondition: ``finish()`` was not called.
    public mutating func feed(_ chunk: some Collection<UInt8>) {
        precondition(!inputFinished, "CSVReader.feed(_:) called after finish()")
        if recordStart > 0 {
            // Drop consumed records so the buffer holds the unfinished one only.
            buffer.removeSubrange(0..<recordStart)
            scanPosition -= recordStart
            recordStart = 0
        }
        buffer.append(contentsOf: chunk)
    }

    /// Marks the end of the input: the bytes after the last line terminator form the last record.
    public mutating func finish() {
        inputFinished = true
    }

    /// The 1-based line where the next record starts.
    public var currentLineNumber: Int { nextLineNumber }

    /// Returns the next complete record, or nil when more input is needed (or, after
    /// ``finish()``, when the input is exhausted).
    /// - Throws: ``CSVError`` naming the record's line.
    public mutating func nextRecord() throws(CSVError) -> CSVRecord? {
        if let terminalError { throw terminalError }
        let end = buffer.withUnsafeBufferPointer { scanner.nextRecordEnd(in: $0, from: scanPosition) }
        guard let end else {
            scanPosition = buffer.count
            return try recordWithoutTerminator()
        }
        var contentEnd = end - 1
        if contentEnd > recordStart, buffer[contentEnd - 1] == .carriageReturn { contentEnd -= 1 }
        return try takeRecord(contentEnd: contentEnd, next: end)
    }

    /// Reads every record of a complete input.
    public static func records(
        in bytes: some Collection<UInt8>, format: CSVFormat = .default
    ) throws(CSVError) -> [CSVRecord] {
        var reader = CSVReader(format: format, maximumRecordSize: .max)
        reader.feed(bytes)
        reader.finish()
        var records: [CSVRecord] = []
        while let record = try reader.nextRecord() { records.append(record) }
        return records
    }

    // MARK: - Private

    /// Handles a buffer that ends inside a record: too large, more input needed, or the last
    /// record of the input.
    private mutating func recordWithoutTerminator() throws(CSVError) -> CSVRecord? {
        let pending = buffer.count - recordStart
        if pending > maximumRecordSize {
            throw fail(CSVError(
                .recordTooLarge,
                "a record exceeds the maximum record size of \(maximumRecordSize) bytes",
                lineNumber: nextLineNumber, rawRecord: Array(buffer[recordStart...].prefix(1024))))
        }
        guard inputFinished, pending > 0 else { return nil }
        if scanner.isInsideQuotes {
            throw fail(CSVError(
                .unterminatedQuote, "the input ends inside a quoted field",
                lineNumber: nextLineNumber, rawRecord: Array(buffer[recordStart...].prefix(1024))))
        }
        return try takeRecord(contentEnd: buffer.count, next: buffer.count)
    }

    private mutating func takeRecord(contentEnd: Int, next: Int) throws(CSVError) -> CSVRecord {
        let lineNumber = nextLineNumber
        let raw = Array(buffer[recordStart..<contentEnd])
        // One line for the record's terminator (or the end of input), plus its quoted LFs.
        nextLineNumber += 1 + scanner.takeLineFeedsInQuotes()
        recordStart = next
        scanPosition = next
        if raw.count > maximumRecordSize {
            throw CSVError(
                .recordTooLarge, "a record of \(raw.count) bytes exceeds the maximum of \(maximumRecordSize)",
                lineNumber: lineNumber, rawRecord: Array(raw.prefix(1024)))
        }
        let record = try CSVRecord.parse(
            raw, lineNumber: lineNumber, format: format, expectedFieldCount: lastFieldCount)
        lastFieldCount = record.count
        return record
    }

    private mutating func fail(_ error: CSVError) -> CSVError {
        terminalError = error
        return error
    }
}
