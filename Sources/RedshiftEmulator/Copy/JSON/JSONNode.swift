/// A parsed JSON value of one COPY record. Strings keep their unescaped bytes; numbers, objects
/// and arrays keep their text exactly as the file has it (a nested object or array loads into a
/// character column "as a string, including the braces or brackets", copy-usage_notes-copy-from-json;
/// numbers are not rounded through a binary float on their way to a DECIMAL column).
indirect enum JSONNode: Equatable {
    case object([(key: [UInt8], value: JSONNode)], text: [UInt8])
    case array([JSONNode], text: [UInt8])
    /// The unescaped content and the JSON text (with quotes and escapes).
    case string([UInt8], text: [UInt8])
    case number(text: [UInt8])
    case bool(Bool)
    case null

    static func == (lhs: JSONNode, rhs: JSONNode) -> Bool { lhs.text == rhs.text }

    /// The value's JSON text.
    var text: [UInt8] {
        switch self {
        case .object(_, let text), .array(_, let text), .string(_, let text), .number(let text): return text
        case .bool(let value): return Array((value ? "true" : "false").utf8)
        case .null: return Array("null".utf8)
        }
    }

    /// The member `key` of an object (case-sensitive unless `ignoringCase`).
    func member(_ key: [UInt8], ignoringCase: Bool = false) -> JSONNode? {
        guard case .object(let members, _) = self else { return nil }
        if let exact = members.last(where: { $0.key == key }) { return exact.value }
        guard ignoringCase else { return nil }
        let lowered = key.map(Self.lower)
        return members.last(where: { $0.key.map(Self.lower) == lowered })?.value
    }

    func element(_ index: Int) -> JSONNode? {
        guard case .array(let elements, _) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }
}

/// Why a record is not valid JSON (load error 1216, "Input line is not valid").
struct JSONSyntaxError: Error, Equatable {
    var message: String
    var offset: Int
}

/// A strict RFC 8259 parser over one record's bytes.
struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    /// Deep enough for any real document, shallow enough for the stack.
    static let maxDepth = 512

    static func parse(_ bytes: [UInt8]) throws -> JSONNode {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message: message, offset: index)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func value() throws -> JSONNode {
        guard index < bytes.count else { throw error("unexpected end of JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""):
            let start = index
            let content = try string()
            return .string(content, text: Array(bytes[start..<index]))
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character '\(String(decoding: [bytes[index]], as: UTF8.self))'")
        }
    }

    private mutating func nested<T>(_ body: (inout JSONParser) throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw error("JSON nested deeper than \(Self.maxDepth) levels") }
        return try body(&self)
    }

    private mutating func object() throws -> JSONNode {
        try nested { parser in
            let start = parser.index
            parser.index += 1
            var members: [(key: [UInt8], value: JSONNode)] = []
            parser.skipWhitespace()
            if parser.peek(UInt8(ascii: "}")) {
                parser.index += 1
                return .object([], text: Array(parser.bytes[start..<parser.index]))
            }
            while true {
                parser.skipWhitespace()
                guard parser.peek(UInt8(ascii: "\"")) else { throw parser.error("expected a member name in quotes") }
                let key = try parser.string()
                parser.skipWhitespace()
                guard parser.peek(UInt8(ascii: ":")) else { throw parser.error("expected ':' after a member name") }
                parser.index += 1
                parser.skipWhitespace()
                members.append((key, try parser.value()))
                parser.skipWhitespace()
                if parser.peek(UInt8(ascii: ",")) { parser.index += 1; continue }
                guard parser.peek(UInt8(ascii: "}")) else { throw parser.error("expected ',' or '}' in an object") }
                parser.index += 1
                return .object(members, text: Array(parser.bytes[start..<parser.index]))
            }
        }
    }

    private mutating func array() throws -> JSONNode {
        try nested { parser in
            let start = parser.index
            parser.index += 1
            var elements: [JSONNode] = []
            parser.skipWhitespace()
            if parser.peek(UInt8(ascii: "]")) {
                parser.index += 1
                return .array([], text: Array(parser.bytes[start..<parser.index]))
            }
            while true {
                parser.skipWhitespace()
                elements.append(try parser.value())
                parser.skipWhitespace()
                if parser.peek(UInt8(ascii: ",")) { parser.index += 1; continue }
                guard parser.peek(UInt8(ascii: "]")) else { throw parser.error("expected ',' or ']' in an array") }
                parser.index += 1
                return .array(elements, text: Array(parser.bytes[start..<parser.index]))
            }
        }
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private mutating func literal(_ word: String) throws {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else {
            throw error("invalid literal (expected \(word))")
        }
        index += expected.count
    }

    private mutating func number() throws -> JSONNode {
        let start = index
        if peek(UInt8(ascii: "-")) { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { while index < bytes.count, isDigit(bytes[index]) { index += 1 } }
        if peek(UInt8(ascii: ".")) {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: digits must follow '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number: digits must follow the exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return .number(text: Array(bytes[start..<index]))
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Reads a quoted string at `index` and returns its unescaped UTF-8 bytes.
    private mutating func string() throws -> [UInt8] {
        index += 1
        var content: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return content
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): content.append(escape)
                case UInt8(ascii: "b"): content.append(0x08)
                case UInt8(ascii: "f"): content.append(0x0C)
                case UInt8(ascii: "n"): content.append(0x0A)
                case UInt8(ascii: "r"): content.append(0x0D)
                case UInt8(ascii: "t"): content.append(0x09)
                case UInt8(ascii: "u"): content += try unicodeEscape()
                default: throw error("invalid escape '\\\(String(decoding: [escape], as: UTF8.self))'")
                }
            case 0..<0x20:
                throw error("control character in a string (escape it)")
            default:
                content.append(byte)
                index += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) else {
            throw error("invalid \\u escape")
        }
        index += 4
        return value
    }

    private mutating func unicodeEscape() throws -> [UInt8] {
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar) {
            guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("unpaired surrogate in \\u escape")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw error("unpaired surrogate in \\u escape")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
        return Array(String(Character(unicode)).utf8)
    }
}
