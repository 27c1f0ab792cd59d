import Foundation

/// Walks a CREATE TABLE body, cutting Redshift attributes out of the text and collecting them.
struct AttributeScanner {
    let tokens: [SQLToken]
    let sql: String
    var index: Int

    init(tokens: [SQLToken], sql: String, start: Int) {
        self.tokens = tokens
        self.sql = sql
        self.index = start
    }

    private func token(_ i: Int) -> SQLToken? { i < tokens.count ? tokens[i] : nil }

    private func name(_ token: SQLToken) -> String {
        token.kind == .quotedIdentifier ? token.text : token.text.lowercased()
    }

    /// Reads `( a, b, ... )` at `i`; returns the names and the index after `)`.
    private func nameList(at i: Int) -> ([String], Int)? {
        guard token(i)?.isSymbol("(") == true else { return nil }
        var names: [String] = []
        var position = i + 1
        while let current = token(position), !current.isSymbol(")") {
            if current.kind == .word || current.kind == .quotedIdentifier { names.append(name(current)) }
            position += 1
        }
        return (names, position + 1)
    }

    private func matchingParen(from open: Int) -> Int? {
        var depth = 0
        for position in open..<tokens.count {
            if tokens[position].isSymbol("(") { depth += 1 }
            if tokens[position].isSymbol(")") { depth -= 1; if depth == 0 { return position } }
        }
        return nil
    }

    /// The first column type Redshift refuses (too long a VARCHAR, say), if any.
    private(set) var typeError: PGError?

    mutating func scan(into attributes: inout TableAttributes, rewriter: inout SQLRewriter, changed: inout Bool, likeSource: inout TableName?) {
        var depth = 0
        var columnStart = false
        var column: String?
        func cut(_ from: Int, _ to: Int) {
            rewriter.remove(tokens[from].range.lowerBound..<tokens[to].range.upperBound)
            changed = true
        }
        while let current = token(index) {
            if current.isSymbol("(") {
                depth += 1
                if depth == 1 { columnStart = true }
                index += 1; continue
            }
            if current.isSymbol(")") { depth -= 1; index += 1; continue }
            if depth == 1 && current.isSymbol(",") { columnStart = true; index += 1; continue }
            if depth == 0 {
                if current.is("AS") { return }
                let upper = current.kind == .word ? current.text.uppercased() : ""
                switch upper {
                case "DISTSTYLE":
                    attributes.diststyle = token(index + 1)?.text.uppercased()
                    cut(index, index + 1); index += 2
                case "DISTKEY":
                    if let (names, next) = nameList(at: index + 1) {
                        attributes.distkey = names.first; attributes.diststyle = "KEY"
                        cut(index, next - 1); index = next
                    } else { index += 1 }
                case "COMPOUND", "INTERLEAVED", "SORTKEY":
                    let keyIndex = upper == "SORTKEY" ? index : index + 1
                    guard token(keyIndex)?.is("SORTKEY") == true else { index += 1; continue }
                    if let (names, next) = nameList(at: keyIndex + 1) {
                        attributes.sortkey = names; attributes.interleaved = upper == "INTERLEAVED"
                        cut(index, next - 1); index = next
                    } else { // SORTKEY AUTO / NONE
                        cut(index, keyIndex + 1); index = keyIndex + 2
                    }
                case "BACKUP", "ENCODE":
                    cut(index, index + 1); index += 2
                default:
                    index += 1
                }
                continue
            }
            guard depth == 1 else { index += 1; continue }
            if columnStart {
                columnStart = false
                if current.is("LIKE") {
                    if let (source, next) = TableName.read(tokens, at: index + 1, sql: sql) { likeSource = source; index = next; continue }
                } else if ["PRIMARY", "UNIQUE", "FOREIGN", "CONSTRAINT", "CHECK"].contains(current.text.uppercased()) && current.kind == .word {
                    column = nil
                } else {
                    column = name(current)
                    if let error = rewriteType(at: index + 1, rewriter: &rewriter, changed: &changed), typeError == nil { typeError = error }
                }
                index += 1; continue
            }
            let upper = current.kind == .word ? current.text.uppercased() : ""
            switch upper {
            case "ENCODE":
                if let column, let encoding = token(index + 1) { attributes.encodings[column] = encoding.text.lowercased() }
                cut(index, index + 1); index += 2
            case "DISTKEY":
                attributes.distkey = column; attributes.diststyle = "KEY"
                cut(index, index); index += 1
            case "SORTKEY":
                if let column { attributes.sortkey.append(column) }
                cut(index, index); index += 1
            case "IDENTITY":
                guard let close = matchingParen(from: index + 1), token(index + 1)?.isSymbol("(") == true else { index += 1; continue }
                let inner = TableName.slice(sql, tokens[index + 1].range.upperBound..<tokens[close].range.lowerBound)
                let parts = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let options = parts.count == 2 ? "(START WITH \(parts[0]) INCREMENT BY \(parts[1]))" : ""
                // IDENTITY(seed, step) refuses explicit values (ALWAYS); GENERATED BY DEFAULT AS
                // IDENTITY(seed, step) takes them (r_CREATE_TABLE_NEW).
                let generated = index >= 3 && tokens[index - 3].is("BY") && tokens[index - 2].is("DEFAULT") && tokens[index - 1].is("AS")
                let replacement = generated ? "IDENTITY \(options)" : "GENERATED ALWAYS AS IDENTITY \(options)"
                rewriter.replace(current.range.lowerBound..<tokens[close].range.upperBound, with: replacement)
                changed = true
                index = close + 1
            default:
                index += 1
            }
        }
    }

    /// Redshift's types in PostgreSQL terms (r_CREATE_TABLE_NEW, r_Character_types,
    /// r_Numeric_types201, r_VARBYTE_type): `VARCHAR(MAX)` is 65535 and `CHAR(MAX)` 4096 bytes,
    /// longer is an error; bare `VARCHAR`/`TEXT`/`NVARCHAR` are `VARCHAR(256)`, `BPCHAR` is
    /// `CHAR(256)`; bare `NUMERIC`/`DECIMAL` are `(18,0)`, precision at most 38; `VARBYTE`,
    /// `VARBINARY` and `BINARY VARYING` are `bytea` (lengths up to 16,777,216 bytes; not enforced).
    private func rewriteType(at i: Int, rewriter: inout SQLRewriter, changed: inout Bool) -> PGError? {
        guard let type = token(i), type.kind == .word else { return nil }
        var lengthAt = i + 1
        var maximum = 65535, maxWord = "65535", typeName = "varchar"
        switch type.text.uppercased() {
        case "TEXT":
            rewriter.replace(type.range, with: "varchar(256)"); changed = true; return nil
        case "BPCHAR":
            rewriter.replace(type.range, with: "char(256)"); changed = true; return nil
        case "NCHAR":
            rewriter.replace(type.range, with: "char"); changed = true
            maximum = 4096; maxWord = "4096"; typeName = "bpchar"
            guard token(lengthAt)?.isSymbol("(") == true else { return nil } // NCHAR is CHAR(1)
        case "CHAR", "CHARACTER":
            if token(i + 1)?.is("VARYING") == true { lengthAt = i + 2; break }
            maximum = 4096; maxWord = "4096"; typeName = "bpchar"
            guard token(lengthAt)?.isSymbol("(") == true else { return nil } // CHAR is CHAR(1), as in PostgreSQL
        case "NVARCHAR":
            rewriter.replace(type.range, with: "varchar"); changed = true
        case "VARCHAR":
            break
        case "NUMERIC", "DECIMAL":
            guard token(i + 1)?.isSymbol("(") == true else {
                rewriter.replace(type.range.upperBound..<type.range.upperBound, with: "(18,0)"); changed = true; return nil
            }
            if let precision = token(i + 2), precision.kind == .number, let value = Int(precision.text), !(1...38).contains(value) {
                return PGError(code: "22023", message: "NUMERIC precision \(value) must be between 1 and 38")
            }
            return nil
        case "VARBYTE", "VARBINARY", "BINARY":
            var end = i
            if type.is("BINARY") {
                guard token(i + 1)?.is("VARYING") == true else { return nil }
                end = i + 1
            }
            if token(end + 1)?.isSymbol("(") == true, let length = token(end + 2), token(end + 3)?.isSymbol(")") == true {
                if let value = Int(length.text), !(1...16_777_216).contains(value) {
                    return PGError(code: "22023", message: "length for type varbyte must be between 1 and 16777216")
                }
                end += 3
            }
            rewriter.replace(type.range.lowerBound..<tokens[end].range.upperBound, with: "bytea"); changed = true
            return nil
        default:
            return nil
        }
        if token(lengthAt)?.isSymbol("(") == true {
            guard let length = token(lengthAt + 1) else { return nil }
            if length.is("MAX") {
                rewriter.replace(length.range, with: maxWord); changed = true
            } else if length.kind == .number, let value = Int(length.text), value > maximum {
                return PGError(code: "22023", message: "length for type \(typeName) cannot exceed \(maximum)")
            }
        } else {
            rewriter.replace(tokens[lengthAt - 1].range.upperBound..<tokens[lengthAt - 1].range.upperBound, with: "(256)")
            changed = true
        }
        return nil
    }
}
