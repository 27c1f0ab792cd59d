import Logging

/// A column as `information_schema.columns` describes it.
package struct MySQLColumnInfo: Sendable, Hashable {
    /// The column name.
    package var name: String
    /// The bare type, e.g. `tinyint`, `varchar`, `datetime`.
    package var dataType: String
    /// The full type, e.g. `tinyint(1)`, `varchar(255)`, `decimal(12,2)`, `enum('a','b')`.
    package var columnType: String
    /// Whether NULL is allowed.
    package var isNullable: Bool
    /// Maximum length in characters for text types.
    package var characterMaximumLength: Int?
    /// Precision and scale for numeric types.
    package var numericPrecision: Int?
    package var numericScale: Int?
    /// Fractional-second digits for temporal types.
    package var datetimePrecision: Int?
}

extension MySQLConnection {
    /// The columns of `table` in the session's database, in table order.
    package func columns(ofTable table: String, logger: Logger) throws -> [MySQLColumnInfo] {
        let sql = """
            SELECT column_name, data_type, column_type, is_nullable, character_maximum_length,
                   numeric_precision, numeric_scale, datetime_precision
            FROM information_schema.columns
            WHERE table_schema = DATABASE() AND table_name = \(try quoteLiteral(table))
            ORDER BY ordinal_position
            """
        return try query(sql, table: table, logger: logger).rows.map { row in
            MySQLColumnInfo(
                name: row[0] ?? "", dataType: row[1] ?? "", columnType: row[2] ?? "",
                isNullable: row[3] == "YES", characterMaximumLength: row[4].flatMap { Int($0) },
                numericPrecision: row[5].flatMap { Int($0) }, numericScale: row[6].flatMap { Int($0) },
                datetimePrecision: row[7].flatMap { Int($0) })
        }
    }

    /// The primary key's columns of `table`, in key order; empty when it has none.
    package func primaryKey(ofTable table: String, logger: Logger) throws -> [String] {
        let sql = """
            SELECT column_name FROM information_schema.key_column_usage
            WHERE table_schema = DATABASE() AND table_name = \(try quoteLiteral(table))
              AND constraint_name = 'PRIMARY'
            ORDER BY ordinal_position
            """
        return try query(sql, table: table, logger: logger).rows.compactMap { $0[0] }
    }
}
