import RedshiftCSV

/// Turns a file record into a PostgreSQL COPY text-format line following Redshift's rules, or
/// reports why Redshift would reject it (the codes of stl_load_errors).
struct RecordConverter {
    let columns: [LoadColumn]
    let options: CopyOptions

    /// Appends the record's line (tab-separated, `\N` for NULL, newline-terminated) to `output`;
    /// on a rejected record `output` is left as it was.
    func append(_ record: CSVRecord, to output: inout [UInt8]) -> LoadError? {
        if record.count > columns.count {
            return LoadError(code: 1202, reason: "Extra column(s) found")
        }
        if record.count < columns.count && !options.fillRecord {
            return LoadError(code: 1203, reason: "Delimiter not found: missing data for column(s)", column: columns[record.count])
        }
        return appendRow(to: &output) { index in
            index < record.count ? Field(bytes: record[index], quoted: record.isQuoted(index)) : Field(bytes: [], quoted: false)
        }
    }

    /// Appends one row of `COPY ... JSON`: `values[i]` is the element mapped to column `i` (nil
    /// when the record has none: NULL). Strings load their unescaped text, numbers and booleans
    /// their JSON text, objects and arrays their JSON text "including the braces or brackets"
    /// (copy-usage_notes-copy-from-json); a SUPER column takes the JSON value itself.
    func append(json values: [JSONNode?], to output: inout [UInt8]) -> LoadError? {
        appendRow(to: &output) { index in
            guard let value = values[index] else { return .null }
            if case .null = value { return .null }
            if columns[index].kind == .super { return Field(bytes: value.text[...], quoted: true) }
            if case .string(let content, _) = value { return Field(bytes: content[...], quoted: true) }
            return Field(bytes: value.text[...], quoted: true)
        }
    }

    /// Appends one line built from `field(i)` for every column; on a rejected field the line is removed.
    private func appendRow(to output: inout [UInt8], field: (Int) -> Field) -> LoadError? {
        let start = output.count
        for (index, column) in columns.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "\t")) }
            if let error = appendField(field(index), column: column, to: &output) {
                output.removeSubrange(start...)
                return error
            }
        }
        output.append(UInt8(ascii: "\n"))
        return nil
    }

    /// One field's bytes and whether it was quoted (a quoted field is never the NULL marker).
    struct Field {
        var bytes: ArraySlice<UInt8>
        var quoted: Bool
        /// An explicit NULL (JSON `null`, or no element for the column).
        var isNull = false

        static let null = Field(bytes: [], quoted: false, isNull: true)
    }

    private func appendField(_ field: Field, column: LoadColumn, to output: inout [UInt8]) -> LoadError? {
        if field.isNull || (!field.quoted && field.bytes.elementsEqual(options.nullString)) {
            return appendNull(column: column, to: &output, raw: Array(field.bytes))
        }
        // Plain ASCII without NUL (nearly every value) is valid UTF-8 as it is: no check, no copy.
        let plainASCII = field.bytes.withUnsafeBufferPointer { $0.allSatisfy { $0 &- 1 < 0x7F } }
        if plainASCII {
            if column.isCharacter { return appendCharacter(field.bytes, column: column, to: &output) }
            if column.kind == .super { return appendSuper(Array(field.bytes), column: column, to: &output) }
            let appended = field.bytes.withUnsafeBufferPointer { CommonValueShapes.append($0, kind: column.kind, options: options, to: &output) }
            if appended { return nil }
            return appendChecked(Array(field.bytes), column: column, to: &output)
        }
        var bytes = Array(field.bytes)
        if !UTF8Validation.isValid(bytes) {
            guard let replacement = options.invalidCharReplacement, column.isCharacter else {
                return LoadError(code: 1220, reason: "String contains invalid or unsupported UTF8 codepoints. Bad UTF8 hex sequence: \(UTF8Validation.firstInvalidSequenceHex(bytes))",
                                 column: column, rawField: bytes)
            }
            bytes = UTF8Validation.replacingInvalidBytes(bytes, with: replacement)
        }
        if bytes.contains(0) {
            return LoadError(code: 1220, reason: "String contains invalid or unsupported UTF8 codepoints: NUL", column: column, rawField: bytes)
        }
        if column.isCharacter {
            return appendCharacter(bytes[...], column: column, to: &output)
        }
        if column.kind == .super {
            return appendSuper(bytes, column: column, to: &output)
        }
        return appendChecked(bytes, column: column, to: &output)
    }

    /// A non-character value through the full check (``ValueChecks``).
    private func appendChecked(_ bytes: [UInt8], column: LoadColumn, to output: inout [UInt8]) -> LoadError? {
        let text = String(decoding: bytes, as: UTF8.self).trimmingSpaces
        if text.isEmpty { return appendNull(column: column, to: &output, raw: bytes) }
        switch ValueChecks.normalize(text, kind: column.kind, options: options) {
        case .success(let value):
            PostgresCopyText.appendEscaped(Array(value.utf8)[...], to: &output)
            return nil
        case .failure(let failure):
            return LoadError(code: failure.code, reason: failure.reason, column: column, rawField: bytes)
        }
    }

    private func appendCharacter(_ input: ArraySlice<UInt8>, column: LoadColumn, to output: inout [UInt8]) -> LoadError? {
        var bytes = input
        if !bytes.isEmpty && options.blanksAsNull && bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            return appendNull(column: column, to: &output, raw: Array(input))
        }
        if options.trimBlanks { while bytes.last == UInt8(ascii: " ") { bytes.removeLast() } }
        if bytes.isEmpty && options.emptyAsNull { return appendNull(column: column, to: &output, raw: Array(input)) }
        var limit: Int?
        switch column.kind {
        case .char(let length):
            if let multibyte = bytes.first(where: { $0 >= 0x80 }) {
                return LoadError(code: 1220, reason: "Multibyte character not supported for CHAR (Hint: try using VARCHAR). Invalid char: \(String(multibyte, radix: 16))",
                                 column: column, rawField: Array(input))
            }
            while bytes.count > length && bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
            limit = length
        case .varchar(let length):
            limit = length
        default:
            break
        }
        if let limit, bytes.count > limit {
            guard options.truncateColumns else {
                return LoadError(code: 1204, reason: "String length exceeds DDL length", column: column, rawField: Array(input))
            }
            bytes = UTF8Validation.prefix(Array(bytes), maxBytes: limit)[...]
        }
        PostgresCopyText.appendEscaped(bytes, to: &output)
        return nil
    }

    /// SUPER takes well-formed JSON text (load error 1224 otherwise, r_Load_Error_Reference).
    private func appendSuper(_ bytes: [UInt8], column: LoadColumn, to output: inout [UInt8]) -> LoadError? {
        guard (try? JSONParser.parse(bytes)) != nil else {
            return LoadError(code: 1224, reason: "Invalid JSON format for the SUPER data type", column: column, rawField: bytes)
        }
        PostgresCopyText.appendEscaped(bytes[...], to: &output)
        return nil
    }

    private func appendNull(column: LoadColumn, to output: inout [UInt8], raw: [UInt8]) -> LoadError? {
        if column.notNull {
            return LoadError(code: 1213, reason: "Missing data for not-null field", column: column, rawField: raw)
        }
        output.append(UInt8(ascii: "\\"))
        output.append(UInt8(ascii: "N"))
        return nil
    }
}

/// PostgreSQL's COPY text format.
enum PostgresCopyText {
    static func appendEscaped(_ bytes: ArraySlice<UInt8>, to output: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { bytes in
            // Most values hold none of the four bytes to escape: one copy.
            guard bytes.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
                output.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\t"): output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "t"))
                case UInt8(ascii: "\n"): output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "r"))
                default: output.append(byte)
                }
            }
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
