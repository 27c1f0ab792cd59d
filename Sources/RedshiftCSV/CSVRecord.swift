/// One record read by ``CSVReader``: its fields, where it starts, and its raw bytes.
///
/// Field contents have their enclosing quotes removed and doubled quotes collapsed. Whether a field
/// is NULL depends on quoting: only an *unquoted* field equal to the marker is NULL
/// (``isNull(_:)``); an unquoted empty field is just empty (Redshift loads it as `''` into text
/// columns and NULL into others, which the loader decides per column).
public struct CSVRecord: Sendable {
    struct Field: Sendable {
        /// Range in `rawBytes`, or in `unescaped` when `isUnescaped`.
        var range: Range<Int>
        var isQuoted: Bool
        var isUnescaped: Bool
    }

    /// The 1-based line of the input where the record starts (physical lines: a quoted LF inside
    /// an earlier record counts). This is what `stl_load_errors.line_number` reports.
    public let lineNumber: Int
    /// The record as it appears in the input, without its LF or CRLF terminator (`raw_line`).
    public let rawBytes: [UInt8]
    let fields: [Field]
    /// Contents of fields that held doubled quotes, collapsed; empty for most records.
    let unescaped: [UInt8]
    let nullMarker: [UInt8]

    /// The number of fields. An empty line is one empty, unquoted field.
    public var count: Int { fields.count }

    /// The content of field `index` (0-based), without quotes.
    public subscript(index: Int) -> ArraySlice<UInt8> {
        let field = fields[index]
        return field.isUnescaped ? unescaped[field.range] : rawBytes[field.range]
    }

    /// Whether field `index` was enclosed in quotes (a quoted field is never NULL).
    public func isQuoted(_ index: Int) -> Bool { fields[index].isQuoted }

    /// Whether field `index` is NULL: unquoted and exactly the NULL marker.
    public func isNull(_ index: Int) -> Bool {
        let field = fields[index]
        return !field.isQuoted && field.range.count == nullMarker.count
            && rawBytes[field.range].elementsEqual(nullMarker)
    }

    /// Whether field `index` is unquoted and empty (the case EMPTYASNULL and non-text columns treat
    /// as NULL in Redshift).
    public func isUnquotedEmpty(_ index: Int) -> Bool {
        !fields[index].isQuoted && fields[index].range.isEmpty
    }

    /// Field `index` as text, or nil when it is NULL. Invalid UTF-8 is replaced by U+FFFD: check
    /// the bytes (the subscript) where that matters, e.g. for Redshift's error 1220.
    public func string(_ index: Int) -> String? {
        isNull(index) ? nil : String(decoding: self[index], as: UTF8.self)
    }

    /// All fields as text, nil for NULL (see ``string(_:)``).
    public var strings: [String?] { (0..<count).map { string($0) } }
}
