/// A lexical token of a SQL statement, with its byte range in the statement so rewriters can copy
/// the untouched parts verbatim.
struct SQLToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// An unquoted identifier or keyword.
        case word
        /// A `"quoted identifier"`; `text` holds the name without quotes.
        case quotedIdentifier
        /// A string literal; `text` holds its value.
        case string
        case number
        /// Punctuation or an operator, one character (`(`, `,`, `;`...) or a run of operator characters.
        case symbol
        /// A `$1` parameter.
        case parameter
    }

    var kind: Kind
    var text: String
    var range: Range<Int>

    /// True for an unquoted word equal (case-insensitively) to `keyword`.
    func `is`(_ keyword: String) -> Bool {
        kind == .word && text.uppercased() == keyword
    }

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }
}

/// Splits SQL text into tokens and statements, skipping comments and honouring every quoting form
/// Redshift has (`'...'`, `"..."`, `$tag$...$tag$`).
///
/// String literals are read as Redshift reads them: PostgreSQL 8.0's rules, where a backslash
/// starts an escape (`'\\'` is one backslash, `'\t'` a tab, `'\N'` is `N`, `'it\'s'` is valid;
/// QUOTE_LITERAL "doubles any embedded single quotation marks and backslashes"). There is no
/// `E'...'` form: `E` before a quote is a word, and ``escapeStringPrefix(in:)`` finds it.
enum SQLTokenizer {
    static func tokenize(_ sql: String) -> [SQLToken] {
        let bytes = Array(sql.utf8)
        var tokens: [SQLToken] = []
        var index = 0
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        while index < bytes.count {
            let byte = bytes[index]
            let start = index
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0C:
                index += 1
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                var depth = 0
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                        depth += 1; index += 2
                    } else if bytes[index] == UInt8(ascii: "*"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                        depth -= 1; index += 2
                        if depth == 0 { break }
                    } else { index += 1 }
                }
            case UInt8(ascii: "'"):
                let (value, end) = readQuoted(bytes, from: index, quote: UInt8(ascii: "'"), backslashEscapes: true)
                tokens.append(SQLToken(kind: .string, text: value, range: start..<end)); index = end
            case UInt8(ascii: "\""):
                let (value, end) = readQuoted(bytes, from: index, quote: UInt8(ascii: "\""), backslashEscapes: false)
                tokens.append(SQLToken(kind: .quotedIdentifier, text: value, range: start..<end)); index = end
            case UInt8(ascii: "$"):
                if index + 1 < bytes.count, isDigit(bytes[index + 1]) {
                    index += 1
                    while index < bytes.count && isDigit(bytes[index]) { index += 1 }
                    tokens.append(SQLToken(kind: .parameter, text: text(start..<index), range: start..<index))
                } else if let (value, end) = readDollarQuoted(bytes, from: index) {
                    tokens.append(SQLToken(kind: .string, text: value, range: start..<end)); index = end
                } else {
                    index += 1
                    tokens.append(SQLToken(kind: .symbol, text: "$", range: start..<index))
                }
            case _ where isWordStart(byte):
                while index < bytes.count && (isWordStart(bytes[index]) || isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "$")) { index += 1 }
                tokens.append(SQLToken(kind: .word, text: text(start..<index), range: start..<index))
            case _ where isDigit(byte) || (byte == UInt8(ascii: ".") && index + 1 < bytes.count && isDigit(bytes[index + 1])):
                while index < bytes.count && (isDigit(bytes[index]) || bytes[index] == UInt8(ascii: ".")) { index += 1 }
                tokens.append(SQLToken(kind: .number, text: text(start..<index), range: start..<index))
            default:
                index += 1
                tokens.append(SQLToken(kind: .symbol, text: text(start..<index), range: start..<index))
            }
        }
        return tokens
    }

    /// Splits a simple-protocol query string into its statements (without the `;`), dropping empty ones.
    static func splitStatements(_ sql: String) -> [String] {
        let bytes = Array(sql.utf8)
        var statements: [String] = []
        var start = 0
        var depth = 0
        for token in tokenize(sql) where token.kind == .symbol {
            if token.text == "(" { depth += 1 } else if token.text == ")" { depth = max(0, depth - 1) }
            if token.text == ";" && depth == 0 {
                statements.append(String(decoding: bytes[start..<token.range.lowerBound], as: UTF8.self))
                start = token.range.upperBound
            }
        }
        statements.append(String(decoding: bytes[start...], as: UTF8.self))
        return statements.filter { !tokenize($0).isEmpty }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isWordStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    /// The `E` of an `E'...'` literal (PostgreSQL 8.1+ syntax Redshift does not have: it reads
    /// `E` as a type name and fails with `type "e" does not exist`), if the statement has one.
    static func escapeStringPrefix(in tokens: [SQLToken]) -> SQLToken? {
        zip(tokens, tokens.dropFirst()).first { word, next in
            word.kind == .word && word.text.uppercased() == "E" && next.kind == .string && word.range.upperBound == next.range.lowerBound
        }?.0
    }

    private static func readQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> (String, Int) {
        var value: [UInt8] = []
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if backslashEscapes && byte == UInt8(ascii: "\\") && index + 1 < bytes.count {
                index = unescape(bytes, at: index + 1, into: &value)
                continue
            }
            if byte == quote {
                if index + 1 < bytes.count && bytes[index + 1] == quote { value.append(quote); index += 2; continue }
                return (String(decoding: value, as: UTF8.self), index + 1)
            }
            value.append(byte); index += 1
        }
        return (String(decoding: value, as: UTF8.self), index)
    }

    /// Decodes the escape after a backslash at `index` (PostgreSQL's escape-string rules:
    /// `\b \f \n \r \t`, octal `\o`..`\ooo`, hex `\xh`/`\xhh`, `\uXXXX`, `\UXXXXXXXX`; any
    /// other character stands for itself) and returns the index after it.
    private static func unescape(_ bytes: [UInt8], at index: Int, into value: inout [UInt8]) -> Int {
        let byte = bytes[index]
        func digits(from start: Int, max: Int, where isDigit: (UInt8) -> Bool) -> Range<Int> {
            var end = start
            while end < bytes.count && end - start < max && isDigit(bytes[end]) { end += 1 }
            return start..<end
        }
        func number(_ range: Range<Int>, radix: Int) -> Int { Int(String(decoding: bytes[range], as: UTF8.self), radix: radix) ?? 0 }
        switch byte {
        case UInt8(ascii: "b"): value.append(0x08)
        case UInt8(ascii: "f"): value.append(0x0C)
        case UInt8(ascii: "n"): value.append(0x0A)
        case UInt8(ascii: "r"): value.append(0x0D)
        case UInt8(ascii: "t"): value.append(0x09)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            let octal = digits(from: index, max: 3) { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }
            value.append(UInt8(truncatingIfNeeded: number(octal, radix: 8)))
            return octal.upperBound
        case UInt8(ascii: "x"):
            let hex = digits(from: index + 1, max: 2) { isHexDigit($0) }
            guard !hex.isEmpty else { value.append(byte); return index + 1 }
            value.append(UInt8(number(hex, radix: 16)))
            return hex.upperBound
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let width = byte == UInt8(ascii: "u") ? 4 : 8
            let hex = digits(from: index + 1, max: width) { isHexDigit($0) }
            guard hex.count == width, let scalar = Unicode.Scalar(UInt32(number(hex, radix: 16))) else { value.append(byte); return index + 1 }
            value += Array(String(Character(scalar)).utf8)
            return hex.upperBound
        default:
            value.append(byte)
        }
        return index + 1
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    private static func readDollarQuoted(_ bytes: [UInt8], from start: Int) -> (String, Int)? {
        var index = start + 1
        while index < bytes.count && (isWordStart(bytes[index]) || isDigit(bytes[index])) { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "$") else { return nil }
        let tag = Array(bytes[start...index])
        let bodyStart = index + 1
        var search = bodyStart
        while search + tag.count <= bytes.count {
            if Array(bytes[search..<(search + tag.count)]) == tag {
                return (String(decoding: bytes[bodyStart..<search], as: UTF8.self), search + tag.count)
            }
            search += 1
        }
        return (String(decoding: bytes[bodyStart...], as: UTF8.self), bytes.count)
    }
}
