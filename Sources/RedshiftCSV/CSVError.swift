/// A CSV dialect that cannot work, or input that does not follow Redshift's CSV rules.
///
/// Errors about input carry the 1-based line where the offending record starts (what Redshift
/// reports in `stl_load_errors.line_number`) and, when the record's extent is known, its raw bytes
/// (for `raw_line`). The reader stays usable after such a record error: the next call continues
/// with the following record. ``Code/unterminatedQuote`` and ``Code/recordTooLarge`` end the input.
public struct CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch with a `default`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidFormat, unterminatedQuote, quoteInUnquotedField, dataAfterClosingQuote
            case recordTooLarge
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The ``CSVFormat`` parts conflict (e.g. delimiter equals quote).
        public static let invalidFormat = Code(.invalidFormat)
        /// The input ended inside a quoted field.
        public static let unterminatedQuote = Code(.unterminatedQuote)
        /// A quote character appeared inside a field that does not start with a quote (`ab"c`).
        public static let quoteInUnquotedField = Code(.quoteInUnquotedField)
        /// A closing quote was followed by something other than a delimiter or line end (`"ab"c`).
        public static let dataAfterClosingQuote = Code(.dataAfterClosingQuote)
        /// A record grew beyond the reader's ``CSVReader/maximumRecordSize``.
        public static let recordTooLarge = Code(.recordTooLarge)

        /// A one-line, human-readable form.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// A human-readable explanation.
    public let message: String
    /// The 1-based line where the offending record starts, when the error is about input.
    public let lineNumber: Int?
    /// The offending record's bytes without its line terminator, when known (capped by the reader).
    public let rawRecord: [UInt8]?

    /// Creates an error; `lineNumber` and `rawRecord` describe the offending input, if any.
    public init(_ code: Code, _ message: String, lineNumber: Int? = nil, rawRecord: [UInt8]? = nil) {
        self.code = code
        self.message = message
        self.lineNumber = lineNumber
        self.rawRecord = rawRecord
    }

    /// A one-line, human-readable form.
    public var description: String {
        if let lineNumber { return "CSV \(code) at line \(lineNumber): \(message)" }
        return "CSV \(code): \(message)"
    }
}
