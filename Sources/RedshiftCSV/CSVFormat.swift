/// The CSV dialect of Redshift's `COPY ... CSV [QUOTE AS '"'] [DELIMITER ','] NULL AS '<marker>'`.
///
/// Rules shared by ``CSVWriter`` and ``CSVReader``:
/// - Records end with LF (`\n`); the reader also accepts CRLF. A field in quotes may contain the
///   delimiter, CR and LF; a quote inside a quoted field is doubled.
/// - **NULL is the bare (unquoted) null marker**, `\N` by default. A *quoted* field is never NULL:
///   a text value equal to the marker is written quoted (`"\N"`) and reads back as text. This is our
///   documented choice, matching PostgreSQL's CSV mode; whether Redshift itself treats a quoted
///   marker as text is unverified.
/// - The empty string is written as `""`, so it stays distinct from NULL whatever the column type
///   (Redshift loads an *unquoted* empty field as NULL into non-text columns).
///
/// The delimiter, quote and marker are raw bytes; the marker may not contain the delimiter, the
/// quote, CR or LF, because the writer emits it unquoted.
public struct CSVFormat: Sendable, Hashable {
    /// The field separator. Default `,`.
    public let delimiter: UInt8
    /// The quote character. Default `"`.
    public let quote: UInt8
    /// The bytes of the NULL marker that COPY names with `NULL AS`. Default `\N` (backslash, N).
    public let nullMarker: [UInt8]

    /// Redshift's CSV defaults: delimiter `,`, quote `"`, NULL marker `\N`.
    public static let `default` = CSVFormat(
        unchecked: UInt8(ascii: ","), quote: UInt8(ascii: "\""), nullMarker: Array(#"\N"#.utf8))

    /// Creates a dialect, validating that its three parts cannot be confused with each other.
    ///
    /// - Parameters:
    ///   - delimiter: field separator, default `,`.
    ///   - quote: quote character, default `"`.
    ///   - nullMarker: the text COPY's `NULL AS` names, default `\N`. May be empty (`NULL AS ''`).
    /// - Throws: ``CSVError`` with code ``CSVError/Code/invalidFormat`` when the delimiter equals the
    ///   quote, either is CR or LF, or the marker contains the delimiter, the quote, CR or LF.
    public init(
        delimiter: UInt8 = UInt8(ascii: ","),
        quote: UInt8 = UInt8(ascii: "\""),
        nullMarker: String = #"\N"#
    ) throws(CSVError) {
        let marker = Array(nullMarker.utf8)
        let lineBytes: Set<UInt8> = [.carriageReturn, .lineFeed]
        if delimiter == quote {
            throw CSVError(.invalidFormat, "the delimiter and the quote are the same byte (\(delimiter))")
        }
        if lineBytes.contains(delimiter) || lineBytes.contains(quote) {
            throw CSVError(.invalidFormat, "the delimiter and the quote may not be CR or LF")
        }
        if marker.contains(where: { $0 == delimiter || $0 == quote || lineBytes.contains($0) }) {
            throw CSVError(
                .invalidFormat,
                "the NULL marker \(String(reflecting: nullMarker)) contains the delimiter, the quote, CR or LF")
        }
        self.init(unchecked: delimiter, quote: quote, nullMarker: marker)
    }

    private init(unchecked delimiter: UInt8, quote: UInt8, nullMarker: [UInt8]) {
        self.delimiter = delimiter
        self.quote = quote
        self.nullMarker = nullMarker
    }

    /// The NULL marker as text, for the COPY statement's `NULL AS '...'` clause (quote it there).
    public var nullMarkerText: String { String(decoding: nullMarker, as: UTF8.self) }

    /// Whether `field` is exactly the NULL marker (the caller checks that the field was unquoted).
    @inlinable
    public func isNullMarker(_ field: some Collection<UInt8>) -> Bool {
        field.count == nullMarker.count && field.elementsEqual(nullMarker)
    }
}

extension UInt8 {
    @usableFromInline static let lineFeed: UInt8 = 0x0A
    @usableFromInline static let carriageReturn: UInt8 = 0x0D
    @usableFromInline static let space: UInt8 = 0x20
}
