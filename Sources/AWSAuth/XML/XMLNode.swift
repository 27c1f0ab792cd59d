/// A parsed XML element: just enough XML for S3's responses (elements, text, entities, CDATA).
///
/// S3 answers with small, flat documents (`ListBucketResult`, `Error`, `DeleteResult`, …), so a
/// tree of elements with their text is all the client needs; attributes and namespaces are ignored.
/// A tiny parser of our own avoids depending on libxml2 through FoundationXML.
package struct XMLNode: Sendable, Equatable {
    /// The element's local name (namespace prefix removed).
    package var name: String
    /// The concatenated text directly inside the element, entities decoded.
    package var text: String = ""
    /// The child elements, in document order.
    package var children: [XMLNode] = []

    /// The first child element with this name.
    package func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// All child elements with this name.
    package func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// The text of the first child element with this name.
    package func text(of name: String) -> String? { child(name)?.text }
}

extension XMLNode {
    /// Parses a document and returns its root element.
    /// - Throws: ``XMLParseError`` when the document is not well-formed enough to read.
    package static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(XMLParseError) -> XMLNode {
        var parser = XMLParser(Array(bytes))
        return try parser.parseDocument()
    }

    /// Parses a document and returns its root element.
    package static func parse(_ string: String) throws(XMLParseError) -> XMLNode {
        try parse(Array(string.utf8))
    }
}

/// Why an XML document could not be parsed, with the byte offset where reading stopped.
package struct XMLParseError: Error, Sendable, CustomStringConvertible {
    package var reason: String
    package var offset: Int
    package var description: String { "malformed XML at byte \(offset): \(reason)" }
}

/// Escapes text for use inside an XML element or attribute.
package func xmlEscaped(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        // Carriage returns would be normalized to LF by the server's parser: keep them as a reference.
        case "\r": result += "&#13;"
        default: result.unicodeScalars.append(character)
        }
    }
    return result
}
