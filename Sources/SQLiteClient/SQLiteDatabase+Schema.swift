import Logging

/// A column as `PRAGMA table_info` describes it.
package struct SQLiteColumnInfo: Sendable, Hashable {
    /// The column name.
    package var name: String
    /// The declared type as written in `CREATE TABLE` (may be empty); it decides the affinity.
    package var declaredType: String
    /// Whether the column is declared NOT NULL.
    package var isNotNull: Bool
    /// 1-based position in the primary key, 0 when not part of it.
    package var primaryKeyPosition: Int
    /// Whether the column can hold NULL: not declared NOT NULL and not the rowid (`INTEGER PRIMARY
    /// KEY`, the only key SQLite never lets be NULL besides WITHOUT ROWID tables' keys, which are
    /// reported NOT NULL).
    package var isNullable: Bool
}

extension SQLiteDatabase {
    /// The columns of `table`, in table order.
    /// - Throws: ``SQLiteError`` `.unexpectedResult` when the table does not exist.
    package func columns(ofTable table: String, logger: Logger) throws -> [SQLiteColumnInfo] {
        let rows = try query(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid", [.text(table)],
            table: table, logger: logger
        ).rows
        guard !rows.isEmpty else { throw SQLiteError(.unexpectedResult, "no such table", table: table) }
        func text(_ value: SQLiteValue) -> String { if case .text(let text) = value { text } else { "" } }
        func number(_ value: SQLiteValue) -> Int { if case .integer(let number) = value { Int(number) } else { 0 } }
        let keyCount = rows.filter { number($0[3]) > 0 }.count
        return rows.map { row in
            let isNotNull = number(row[2]) != 0
            let isRowid = keyCount == 1 && number(row[3]) == 1 && text(row[1]).uppercased() == "INTEGER"
            return SQLiteColumnInfo(
                name: text(row[0]), declaredType: text(row[1]), isNotNull: isNotNull,
                primaryKeyPosition: number(row[3]), isNullable: !isNotNull && !isRowid)
        }
    }

    /// The primary key's columns of `table`, in key order; empty when it has none (rowid tables
    /// without a declared key).
    package func primaryKey(ofTable table: String, logger: Logger) throws -> [String] {
        try columns(ofTable: table, logger: logger).filter { $0.primaryKeyPosition > 0 }
            .sorted { $0.primaryKeyPosition < $1.primaryKeyPosition }.map(\.name)
    }
}
