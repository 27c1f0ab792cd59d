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
/// (`'...'`, `E'...'`, `"..."`, `$tag$...$tag$`).
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
                let (value, end) = readQuoted(bytes, from: index, quote: UInt8(ascii: "'"), backslashEscapes: false)
                tokens.append(SQLToken(kind: .string, text: value, range: start..<end)); index = end
            case UInt8(ascii: "\""):
                let (value, end) = readQuoted(bytes, from: index, quote: UInt8(ascii: "\""), backslashEscapes: false)
                tokens.append(SQLToken(kind: .quotedIdentifier, text: value, range: start..<end)); index = end
            case _ where (byte == UInt8(ascii: "E") || byte == UInt8(ascii: "e")) && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "'"):
                let (value, end) = readQuoted(bytes, from: index + 1, quote: UInt8(ascii: "'"), backslashEscapes: true)
                tokens.append(SQLToken(kind: .string, text: value, range: start..<end)); index = end
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

    private static func readQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> (String, Int) {
        var value: [UInt8] = []
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if backslashEscapes && byte == UInt8(ascii: "\\") && index + 1 < bytes.count {
                value.append(bytes[index + 1]); index += 2; continue
            }
            if byte == quote {
                if index + 1 < bytes.count && bytes[index + 1] == quote { value.append(quote); index += 2; continue }
                return (String(decoding: value, as: UTF8.self), index + 1)
            }
            value.append(byte); index += 1
        }
        return (String(decoding: value, as: UTF8.self), index)
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
