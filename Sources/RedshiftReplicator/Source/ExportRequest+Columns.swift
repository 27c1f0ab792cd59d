extension SQLDialect {
    /// `field > lower AND field <= upper`, each condition parenthesised; rows whose field is NULL
    /// never match. With no upper bound (no non-NULL value) the range is empty (`1 = 0`). The
    /// bounds are typed by `column` when given (``SQLDialect/boundLiteral(_:column:)``).
    func rangeCondition(field: String, lower: String?, upper: String?, column: SourceColumn? = nil) -> String {
        guard let upper else { return "1 = 0" }
        let f = quoteIdentifier(field)
        let literal = { (value: String) in column.map { boundLiteral(value, column: $0) } ?? quoteLiteral(value) }
        var conditions = ["(\(f) <= \(literal(upper)))"]
        if let lower { conditions.insert("(\(f) > \(literal(lower)))", at: 0) }
        return conditions.joined(separator: " AND ")
    }
}

extension ExportRange {
    var isKeys: Bool { if case .keys = self { true } else { false } }
}

extension ExportRequest {
    /// See ``fieldHoldsTimes``.
    var comparesTimes: Bool {
        if case .next(_, _, .seconds) = range { return true }
        return fieldHoldsTimes
    }
}

extension ExportRequest {
    /// The source columns for the Redshift table's columns, in request order, matched by name
    /// (exactly, else ignoring case).
    /// - Throws: ``SourceError`` `.columnMissing` naming the Redshift column and the source table.
    func matchColumns(in available: [SourceColumn]) throws -> [SourceColumn] {
        try columns.map { column in
            let name = column.name
            guard let column = available.first(where: { $0.name == name })
                    ?? available.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw SourceError(.columnMissing, "column `\(name)` of the Redshift table has no counterpart in source table `\(table)`")
            }
            return column
        }
    }

    /// The replication field of an incremental range, checked to exist in the source table.
    func checkedField(in available: [SourceColumn]) throws -> SourceColumn? {
        switch range {
        case .all: return nil
        case .next(let field, _, _), .fixed(let field, _, _), .keys(let field, _):
            guard let column = available.first(where: { $0.name == field }) ?? available.first(where: { $0.name.lowercased() == field.lowercased() }) else {
                throw SourceError(.columnMissing, "\(range.isKeys ? "key column" : "replication field") `\(field)` does not exist in source table `\(table)`")
            }
            return column
        }
    }
}
