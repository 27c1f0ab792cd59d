/// The Redshift target table as Redshift stores it. Redshift folds identifiers to lower case,
/// quoted ones too, unless `enable_case_sensitive_identifier` is on (r_names,
/// r_enable_case_sensitive_identifier): a table configured as `Users` is stored as `users`, a
/// source key `UserID` is the column `userid`. rrr looks names up as configured first, then folded,
/// and uses the stored names in every statement.
struct WarehouseTable: Sendable, Hashable {
    /// The schema as stored.
    var schema: String
    /// The table name as stored.
    var name: String
    /// The columns in table order.
    var columns: [WarehouseColumn]

    /// The column `configured` names: exactly, else ignoring case (as Redshift folds it).
    func column(_ configured: String) -> WarehouseColumn? {
        columns.first { $0.name == configured } ?? columns.first { $0.name == RedshiftNames.fold(configured) }
            ?? columns.first { $0.name.lowercased() == configured.lowercased() }
    }

    /// The stored names of `configured` columns; throws naming the first one the table lacks.
    func columnNames(_ configured: [String], setting: String) throws -> [String] {
        try configured.map { wanted in
            guard let column = column(wanted) else {
                throw WarehouseError(.statementFailed, "\(setting): `\(wanted)` is not a column of Redshift table `\(schema).\(name)`")
            }
            return column.name
        }
    }

    /// The columns compared ignoring trailing blanks on Redshift (VARCHAR: "Trailing spaces in
    /// VARCHAR and CHAR values are treated as semantically insignificant when values are
    /// compared", r_Character_types); rrr's key matches add an exact comparison for them.
    var varcharColumns: Set<String> { Set(columns.filter(\.isVarchar).map(\.name)) }
}

/// Redshift's identifier folding.
enum RedshiftNames {
    /// ASCII letters lower-cased, anything else kept ("ASCII letters in standard and delimited
    /// identifiers are case-insensitive and are folded to lowercase", r_names).
    static func fold(_ name: String) -> String {
        String(decoding: name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// `(schema, table)` as configured, then folded when that differs: the names to look up.
    static func candidates(schema: String, table: String) -> [(schema: String, table: String)] {
        let folded = (schema: fold(schema), table: fold(table))
        return folded.schema == schema && folded.table == table ? [(schema, table)] : [(schema, table), folded]
    }
}
