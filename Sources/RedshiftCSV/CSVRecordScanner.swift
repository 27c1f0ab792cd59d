/// Finds where records end in a CSV byte stream fed in arbitrary chunks.
///
/// It follows quoting (a LF inside quotes does not end a record) and keeps its state between
/// calls, so every byte is looked at once however the stream is cut. It does not validate:
/// malformed fields are left to ``CSVReader``, which parses each record once its extent is known.
/// ``CSVRecordSplitter`` and ``CSVReader`` are built on it.
public struct CSVRecordScanner: Sendable {
    private enum State: UInt8, Sendable {
        /// At the first byte of a field.
        case fieldStart
        /// Inside a field that did not start with a quote.
        case unquoted
        /// Inside a quoted field.
        case quoted
        /// Just after a quote inside a quoted field: a closing quote or the first of a doubled pair.
        case quoteInQuoted
    }

    private let delimiter: UInt8
    private let quote: UInt8
    private var state = State.fieldStart
    private var lineFeedsInQuotes = 0

    /// Creates a scanner for `format`'s delimiter and quote, positioned at the start of a record.
    public init(format: CSVFormat = .default) {
        self.delimiter = format.delimiter
        self.quote = format.quote
    }

    /// Whether the bytes scanned so far end inside an open quoted field.
    public var isInsideQuotes: Bool { state == .quoted }

    /// Returns how many LF bytes inside quotes were scanned since the last call, and resets the
    /// count: with the terminator, they give the line where the next record starts.
    public mutating func takeLineFeedsInQuotes() -> Int {
        defer { lineFeedsInQuotes = 0 }
        return lineFeedsInQuotes
    }

    /// Scans `buffer[start...]` for the end of the current record.
    ///
    /// - Returns: the index just past the LF that ends the record (the scanner is then at the start
    ///   of the next record), or nil when the buffer ends first; scanning resumes with the next
    ///   bytes of the stream passed to the following call.
    public mutating func nextRecordEnd(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        var state = self.state
        let count = buffer.count
        while index < count {
            if state == .quoted {
                // Inside quotes only a quote matters (and LFs, counted for line numbers).
                var lineFeeds = 0
                while index < count, buffer[index] != quote {
                    if buffer[index] == .lineFeed { lineFeeds += 1 }
                    index += 1
                }
                lineFeedsInQuotes += lineFeeds
                guard index < count else { break }
                index += 1
                state = .quoteInQuoted
                continue
            }
            let byte = buffer[index]
            index += 1
            if byte == .lineFeed {
                self.state = .fieldStart
                return index
            } else if byte == delimiter {
                state = .fieldStart
            } else if byte == quote {
                // Opens a field, or continues a quoted one ("" is an escaped quote). A quote in
                // the middle of an unquoted field is data here; the reader reports it.
                if state == .fieldStart || state == .quoteInQuoted { state = .quoted }
            } else if state != .unquoted {
                state = .unquoted
            }
        }
        self.state = state
        return nil
    }

    @inline(__always)
    static func firstIndex(of target: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        let count = buffer.count
        while index < count {
            if buffer[index] == target { return index }
            index += 1
        }
        return nil
    }
}
