/// One expression of a JSONPaths file: `$['store']['book'][0]` (bracket notation) or
/// `$.store.book[0]` (dot notation), a single element's explicit path
/// (copy-parameters-data-format, "JSONPath expressions": no wildcards, no filters).
struct JSONPathExpression: Sendable, Equatable {
    enum Step: Sendable, Equatable {
        case key([UInt8])
        case index(Int)
    }

    enum Notation: Sendable, Equatable { case bracket, dot }

    var steps: [Step]
    var notation: Notation?

    /// Parses `text`; the error message says what is wrong with it.
    init(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "$") else { throw Self.invalid(text, "must start with $") }
        var index = 1
        var steps: [Step] = []
        var notation: Notation?
        func use(_ kind: Notation) throws {
            if let notation, notation != kind { throw Self.invalid(text, "bracket and dot notation cannot be mixed") }
            notation = kind
        }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "."):
                try use(.dot)
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "."), bytes[index] != UInt8(ascii: "[") {
                    guard bytes[index] != UInt8(ascii: "'"), bytes[index] != UInt8(ascii: "]") else {
                        throw Self.invalid(text, "dot notation cannot contain quotes or brackets")
                    }
                    index += 1
                }
                guard index > start else { throw Self.invalid(text, "empty name after '.'") }
                guard !bytes[start..<index].contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "@") }) else {
                    throw Self.invalid(text, "wildcards and filter expressions are not supported")
                }
                steps.append(.key(Array(bytes[start..<index])))
            case UInt8(ascii: "["):
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "'") {
                    try use(.bracket)
                    index += 1
                    let start = index
                    while index < bytes.count, bytes[index] != UInt8(ascii: "'") { index += 1 }
                    guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "]") else {
                        throw Self.invalid(text, "unterminated ['name']")
                    }
                    steps.append(.key(Array(bytes[start..<index])))
                    index += 2
                } else {
                    let start = index
                    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                    guard index > start, index < bytes.count, bytes[index] == UInt8(ascii: "]"),
                          let position = Int(String(decoding: bytes[start..<index], as: UTF8.self)) else {
                        throw Self.invalid(text, "array indices must be integers >= 0")
                    }
                    steps.append(.index(position))
                    index += 1
                }
            default:
                throw Self.invalid(text, "unexpected '\(String(decoding: [bytes[index]], as: UTF8.self))'")
            }
        }
        guard !steps.isEmpty else { throw Self.invalid(text, "the path names no element") }
        self.steps = steps
        self.notation = notation
    }

    /// The element the path names, or nil when the record has none there.
    func evaluate(_ root: JSONNode) -> JSONNode? {
        var node = root
        for step in steps {
            switch step {
            case .key(let key): guard let next = node.member(key) else { return nil }; node = next
            case .index(let position): guard let next = node.element(position) else { return nil }; node = next
            }
        }
        return node
    }

    private static func invalid(_ text: String, _ reason: String) -> PGError {
        PGError(code: "XX000", message: "Invalid JSONPath format: \(reason)", detail: "expression: \(text)")
    }
}

/// How a `COPY ... JSON` maps a record's values to the target columns.
enum JSONColumnMapping: Sendable {
    /// `'auto'` / `'auto ignorecase'`: first-level keys match column names (case-sensitive:
    /// "Column names in Amazon Redshift tables are always lowercase, so ... matching JSON field
    /// names must also be lowercase"), other keys are ignored, missing ones load NULL.
    case auto(ignoreCase: Bool)
    /// A JSONPaths file: one expression per target column, in column order.
    case paths([JSONPathExpression])

    /// The value for each column (nil: no such element, loads NULL).
    func values(of record: JSONNode, columns: [LoadColumn]) -> [JSONNode?] {
        switch self {
        case .auto(let ignoreCase):
            return columns.map { record.member(Array($0.name.utf8), ignoringCase: ignoreCase) }
        case .paths(let expressions):
            return expressions.map { $0.evaluate(record) }
        }
    }

    /// Reads a JSONPaths file: `{"jsonpaths": ["$.a", ...]}`. A file whose only key is not
    /// `jsonpaths` makes COPY use `'auto'` (copy-usage_notes-copy-from-json).
    static func fromJSONPathsFile(_ bytes: [UInt8], columnCount: Int, location: String) throws -> JSONColumnMapping {
        let root: JSONNode
        do {
            root = try JSONParser.parse(bytes)
        } catch let error as JSONSyntaxError {
            throw PGError(code: "XX000", message: "Invalid JSONPath format: the JSONPaths file is not valid JSON (\(error.message))", detail: location)
        }
        guard case .object(let members, _) = root, members.count == 1 else {
            throw PGError(code: "XX000", message: "Invalid JSONPath format: the JSONPaths file must hold a single object with one member \"jsonpaths\"", detail: location)
        }
        guard members[0].key == Array("jsonpaths".utf8) else { return .auto(ignoreCase: false) }
        guard case .array(let elements, _) = members[0].value else {
            throw PGError(code: "XX000", message: "Invalid JSONPath format: \"jsonpaths\" must be an array of expressions", detail: location)
        }
        var expressions: [JSONPathExpression] = []
        for element in elements {
            guard case .string(let text, _) = element else {
                throw PGError(code: "XX000", message: "Invalid JSONPath format: every JSONPath expression must be a string", detail: location)
            }
            expressions.append(try JSONPathExpression(String(decoding: text, as: UTF8.self)))
        }
        if let notation = expressions.first?.notation, expressions.contains(where: { $0.notation != nil && $0.notation != notation }) {
            throw PGError(code: "XX000", message: "Invalid JSONPath format: bracket and dot notation cannot be mixed in one JSONPaths file", detail: location)
        }
        guard expressions.count == columnCount else {
            throw PGError(code: "XX000", message: "Number of jsonpaths and the number of columns should match. JSONPath size: \(expressions.count), Number of columns in table or column list: \(columnCount)", detail: location)
        }
        return .paths(expressions)
    }
}
