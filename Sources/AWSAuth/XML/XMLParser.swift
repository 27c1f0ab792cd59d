/// A small recursive-descent XML reader over UTF-8 bytes; see ``XMLNode``.
struct XMLParser {
    private let bytes: [UInt8]
    private var position = 0
    /// S3 documents are at most a few levels deep; the cap keeps hostile input from exhausting the stack.
    private static let maximumDepth = 64

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDocument() throws(XMLParseError) -> XMLNode {
        try skipMisc()
        guard peek() == UInt8(ascii: "<") else { throw failure("no root element") }
        let root = try parseElement(depth: 0)
        try skipMisc()
        guard position == bytes.count else { throw failure("content after the root element") }
        return root
    }

    // MARK: Elements

    private mutating func parseElement(depth: Int) throws(XMLParseError) -> XMLNode {
        guard depth < Self.maximumDepth else { throw failure("nested too deeply") }
        position += 1  // "<"
        let name = readName()
        guard !name.isEmpty else { throw failure("element without a name") }
        var node = XMLNode(name: localName(name))
        if try skipAttributes() { return node }  // <name/>
        var text: [UInt8] = []
        while true {
            guard let byte = peek() else { throw failure("unclosed element <\(name)>") }
            guard byte == UInt8(ascii: "<") else {
                try readText(into: &text)
                continue
            }
            if starts(with: "</") {
                position += 2
                let closing = readName()
                guard closing == name else { throw failure("</\(closing)> closes <\(name)>") }
                skipWhitespace()
                guard peek() == UInt8(ascii: ">") else { throw failure("unterminated </\(name)") }
                position += 1
                node.text = String(decoding: text, as: UTF8.self)
                return node
            } else if starts(with: "<![CDATA[") {
                position += 9
                text += try readUntil("]]>")
            } else if starts(with: "<!--") {
                _ = try readUntil("-->")
            } else if starts(with: "<?") {
                _ = try readUntil("?>")
            } else {
                node.children.append(try parseElement(depth: depth + 1))
            }
        }
    }

    /// Skips attributes up to the end of a start tag; returns true for an empty-element tag (`/>`).
    private mutating func skipAttributes() throws(XMLParseError) -> Bool {
        var quote: UInt8?
        while let byte = peek() {
            position += 1
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return false
            } else if byte == UInt8(ascii: "/"), peek() == UInt8(ascii: ">") {
                position += 1
                return true
            }
        }
        throw failure("unterminated start tag")
    }

    // MARK: Text and entities

    private mutating func readText(into text: inout [UInt8]) throws(XMLParseError) {
        while let byte = peek(), byte != UInt8(ascii: "<") {
            position += 1
            guard byte == UInt8(ascii: "&") else {
                text.append(byte)
                continue
            }
            let entity = try readUntil(";")
            text += try decodeEntity(entity)
        }
    }

    private func decodeEntity(_ entity: [UInt8]) throws(XMLParseError) -> [UInt8] {
        switch String(decoding: entity, as: UTF8.self) {
        case "amp": return Array("&".utf8)
        case "lt": return Array("<".utf8)
        case "gt": return Array(">".utf8)
        case "quot": return Array("\"".utf8)
        case "apos": return Array("'".utf8)
        case let reference where reference.hasPrefix("#"):
            let digits = reference.dropFirst()
            let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, let scalar = Unicode.Scalar(value) else { throw failure("bad character reference &\(reference);") }
            return Array(String(Character(scalar)).utf8)
        case let other:
            throw failure("unknown entity &\(other);")
        }
    }

    // MARK: Low-level reading

    private mutating func skipMisc() throws(XMLParseError) {
        while true {
            skipWhitespace()
            if starts(with: "<?") {
                _ = try readUntil("?>")
            } else if starts(with: "<!--") {
                _ = try readUntil("-->")
            } else if starts(with: "<!") {
                _ = try readUntil(">")
            } else {
                return
            }
        }
    }

    /// Returns the bytes up to `terminator` and moves past it.
    private mutating func readUntil(_ terminator: String) throws(XMLParseError) -> [UInt8] {
        let start = position
        while position < bytes.count {
            if starts(with: terminator) {
                let content = Array(bytes[start..<position])
                position += terminator.utf8.count
                return content
            }
            position += 1
        }
        throw failure("missing \(terminator)")
    }

    private mutating func readName() -> String {
        let start = position
        while let byte = peek(), !isWhitespace(byte), byte != UInt8(ascii: ">"), byte != UInt8(ascii: "/") {
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private func localName(_ name: String) -> String {
        name.split(separator: ":").last.map(String.init) ?? name
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), isWhitespace(byte) { position += 1 }
    }

    private func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private func starts(with prefix: String) -> Bool {
        var index = position
        for byte in prefix.utf8 {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
        }
        return true
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func failure(_ reason: String) -> XMLParseError { XMLParseError(reason: reason, offset: position) }
}
