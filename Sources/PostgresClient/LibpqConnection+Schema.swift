/// A column as `pg_attribute` describes it.
package struct PostgresColumnInfo: Sendable, Hashable {
    /// The column name.
    package var name: String
    /// The type as PostgreSQL prints it, with modifiers (`format_type`), e.g. `numeric(12,2)`.
    package var typeName: String
    /// The bare type name (`pg_type.typname`), e.g. `int8`, `bytea`, `timestamptz`.
    package var baseTypeName: String
    /// Whether the column can hold NULL (no NOT NULL constraint).
    package var isNullable: Bool = true
    /// The declared type with a domain resolved to its base type (`format_type` of it), for `rrr schema`.
    package var baseDeclaredType: String = ""
    /// For an enumerated type: its longest label in bytes (`pg_enum`); `nil` for other types.
    package var enumLabelBytes: Int? = nil
}

extension LibpqConnection {
    /// Whether `table` (a possibly schema-qualified name, each part quoted) exists.
    package func tableExists(quoted table: String) throws -> Bool {
        try scalar("SELECT to_regclass($1)::text", [table]) != nil
    }

    /// The columns of `table` (quoted, possibly qualified), in table order; empty when it does not exist.
    package func columns(ofTable table: String) throws -> [PostgresColumnInfo] {
        guard try tableExists(quoted: table) else { return [] }
        // A domain is described by its base type (its NOT NULL too); an enum by its longest label.
        return try query("""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typname, NOT (a.attnotnull OR t.typnotnull),
                   CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE format_type(a.atttypid, a.atttypmod) END,
                   (SELECT max(octet_length(e.enumlabel)) FROM pg_enum e
                    WHERE e.enumtypid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END)::text
            FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """, [table]).map {
                PostgresColumnInfo(name: $0[0] ?? "", typeName: $0[1] ?? "", baseTypeName: $0[2] ?? "", isNullable: $0[3] != "f",
                                   baseDeclaredType: $0[4] ?? "", enumLabelBytes: $0[5].flatMap { Int($0) })
            }
    }

    /// The primary key's columns of `table` (quoted, possibly qualified), in key order; empty when it has none.
    package func primaryKey(ofTable table: String) throws -> [String] {
        guard try tableExists(quoted: table) else { return [] }
        return try query("""
            SELECT a.attname FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = $1::regclass AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """, [table]).compactMap { $0[0] }
    }

    /// `name` as a quoted identifier: in double quotes, embedded quotes doubled.
    package nonisolated static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacing("\"", with: "\"\"") + "\""
    }

    /// A possibly schema-qualified name (`schema.table`), each part quoted.
    package nonisolated static func quoteQualified(_ name: String) -> String {
        name.split(separator: ".", omittingEmptySubsequences: false).map { quoteIdentifier(String($0)) }.joined(separator: ".")
    }
}
