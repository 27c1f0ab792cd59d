/// Cuts a CSV byte stream, fed in arbitrary chunks, into batches of complete records.
///
/// For sources that already produce CSV in the right dialect (PostgreSQL's
/// `COPY ... TO STDOUT (FORMAT csv)`): the bytes pass through untouched, and only record
/// boundaries are found (following quotes, so a quoted LF does not split a record). The bytes
/// after the last complete record wait for the next chunk.
public struct CSVRecordSplitter: Sendable {
    private let format: CSVFormat
    private var scanner: CSVRecordScanner
    /// Bytes of the unfinished record carried over from earlier chunks.
    private var pending: [UInt8] = []

    /// Creates a splitter for `format`'s delimiter and quote (default ``CSVFormat/default``).
    public init(format: CSVFormat = .default) {
        self.format = format
        self.scanner = CSVRecordScanner(format: format)
    }

    /// The number of bytes held back because their record is not complete yet.
    public var pendingByteCount: Int { pending.count }

    /// Adds `chunk` and returns the records it completes (possibly none).
    public mutating func split(_ chunk: some Collection<UInt8>) -> CSVRecordBatch {
        let done: CSVRecordBatch? = chunk.withContiguousStorageIfAvailable { split(buffer: $0) }
        if let done { return done }
        return Array(chunk).withUnsafeBufferPointer { split(buffer: $0) }
    }

    /// Ends the stream: returns the last record when the input lacks a final LF (one is added).
    /// - Throws: ``CSVError/Code/unterminatedQuote`` when the stream ends inside quotes.
    public mutating func finish() throws(CSVError) -> CSVRecordBatch {
        guard !pending.isEmpty else { return CSVRecordBatch() }
        if scanner.isInsideQuotes {
            throw CSVError(
                .unterminatedQuote, "the input ends inside a quoted field",
                rawRecord: Array(pending.prefix(1024)))
        }
        var bytes = pending
        bytes.append(.lineFeed)
        pending = []
        scanner = CSVRecordScanner(format: format)
        return CSVRecordBatch(bytes: bytes, recordCount: 1)
    }

    private mutating func split(buffer: UnsafeBufferPointer<UInt8>) -> CSVRecordBatch {
        var records = 0
        var lastEnd = 0
        while let end = scanner.nextRecordEnd(in: buffer, from: lastEnd) {
            records += 1
            lastEnd = end
        }
        guard records > 0 else {
            pending.append(contentsOf: buffer)
            return CSVRecordBatch()
        }
        var bytes = pending
        pending = []
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<lastEnd]))
        pending.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[lastEnd...]))
        return CSVRecordBatch(bytes: bytes, recordCount: records)
    }
}
