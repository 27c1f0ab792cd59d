/// One record of a load file: its fields, where it started, and its raw bytes (for stl_load_errors).
struct LoadRecord {
    struct Field {
        var bytes: [UInt8]
        /// The field was enclosed in quotes (so an empty one is `""`, not an absent value).
        var quoted: Bool
    }

    var fields: [Field]
    /// 1-based line number where the record starts in its file.
    var lineNumber: Int
    /// The record's first `rawLimit` bytes as they were in the file.
    var raw: [UInt8]
}

/// A push parser for Redshift's delimited formats: CSV (quoted fields may hold delimiters, CR and
/// LF; `""` is a quote) or plain delimited text. Fed decompressed chunks of any size, it emits
/// complete records, so memory stays bounded by the largest record.
struct DelimitedRecordParser {
    /// How much of a record is kept for `raw_line` (Redshift's column is 1024 bytes).
    static let rawLimit = 1024

    private let delimiter: UInt8
    private let quote: UInt8?
    private var fields: [LoadRecord.Field] = []
    private var field: [UInt8] = []
    private var fieldQuoted = false
    private var inQuotes = false
    private var quoteJustClosed = false
    private var raw: [UInt8] = []
    private var recordHasBytes = false
    private var line = 1
    private var recordStartLine = 1

    init(delimiter: UInt8, quote: UInt8?) {
        self.delimiter = delimiter
        self.quote = quote
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer, emit: (LoadRecord) throws -> Void) rethrows {
        for byte in bytes {
            if raw.count < Self.rawLimit { raw.append(byte) }
            recordHasBytes = true
            if inQuotes {
                if byte == quote {
                    inQuotes = false
                    quoteJustClosed = true
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            if quoteJustClosed {
                quoteJustClosed = false
                if byte == quote { // "" inside a quoted field: a literal quote
                    inQuotes = true
                    field.append(byte)
                    continue
                }
            }
            switch byte {
            case delimiter:
                endField()
            case UInt8(ascii: "\n"):
                if !fieldQuoted, field.last == UInt8(ascii: "\r") { field.removeLast() }
                if raw.last == UInt8(ascii: "\n") { raw.removeLast() }
                if raw.last == UInt8(ascii: "\r") { raw.removeLast() }
                endField()
                try emitRecord(emit)
                line += 1
                recordStartLine = line
            case quote where field.isEmpty && !fieldQuoted:
                inQuotes = true
                fieldQuoted = true
            default:
                field.append(byte)
            }
        }
    }

    /// Emits the last record when the file does not end with a newline.
    mutating func finish(emit: (LoadRecord) throws -> Void) rethrows {
        guard recordHasBytes else { return }
        endField()
        try emitRecord(emit)
    }

    private mutating func endField() {
        fields.append(LoadRecord.Field(bytes: field, quoted: fieldQuoted))
        field.removeAll(keepingCapacity: true)
        fieldQuoted = false
        quoteJustClosed = false
    }

    private mutating func emitRecord(_ emit: (LoadRecord) throws -> Void) rethrows {
        let record = LoadRecord(fields: fields, lineNumber: recordStartLine, raw: raw)
        fields.removeAll(keepingCapacity: true)
        raw.removeAll(keepingCapacity: true)
        recordHasBytes = false
        try emit(record)
    }
}
