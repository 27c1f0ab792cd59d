import SourceSupport

/// The SQL text of a PostgreSQL export, built from quoted names and literals only.
struct PostgresExportSQL {
    let dialect = PostgresDialect()

    /// The expression exporting `column` in the form Redshift's COPY accepts for a `target` column.
    func expression(for column: SourceColumn, target: RedshiftTarget = .automatic) -> String {
        let name = dialect.quoteIdentifier(column.name)
        switch (column.conversion, target) {
        case (.hex, _): return "encode(\(name), 'hex')"
        // An integer flag loading into BOOLEAN: any non-zero value is true (COPY accepts only 0/1).
        case (.text, .boolean) where Self.integerTypes.contains(column.typeName): return "(\(name) <> 0)"
        // A timestamp loading into DATE: COPY would reject the time part.
        case (.text, .date) where column.typeName.hasPrefix("timestamp"): return "\(name)::date"
        case (.text, _): return name
        }
    }

    private static let integerTypes: Set<String> = ["smallint", "integer", "bigint"]

    /// `COPY (SELECT ... FROM t WHERE ...) TO STDOUT WITH (FORMAT csv, NULL '<marker>')`.
    func copyStatement(table: String, columns: [(SourceColumn, RedshiftTarget)], condition: String?, nullMarker: String) -> String {
        let select = columns.map { expression(for: $0, target: $1) }.joined(separator: ", ")
        let whereClause = condition.map { " WHERE \($0)" } ?? ""
        return "COPY (SELECT \(select) FROM \(dialect.quoteQualified(table))\(whereClause)) TO STDOUT WITH (FORMAT csv, NULL \(dialect.quoteLiteral(nullMarker)))"
    }

    /// The conversion for a column of PostgreSQL type `typeName` (pg_type.typname).
    static func conversion(typeName: String) -> ColumnConversion {
        switch typeName {
        case "bytea": return .hex
        default: return .text
        }
    }

    /// Below this many 8 KiB blocks (8 MiB) a table is exported by one session.
    static let parallelMinimumBlocks: Int64 = 1024

    /// `parts` ctid ranges of about equal size covering every block: below the first boundary,
    /// between boundaries, and from the last one on (open-ended, so nothing past `blocks` is missed).
    static func blockShares(blocks: Int64, parts: Int) -> [String] {
        let bounds = (1..<max(parts, 1)).map { blocks * Int64($0) / Int64(parts) }
        return (0..<max(parts, 1)).map { index in
            var conditions: [String] = []
            if index > 0 { conditions.append("ctid >= '(\(bounds[index - 1]),0)'::tid") }
            if index < bounds.count { conditions.append("ctid < '(\(bounds[index]),0)'::tid") }
            return conditions.joined(separator: " AND ")
        }
    }

    /// Two optional conditions joined with AND, each parenthesised (empty ones left out).
    static func both(_ first: String?, _ second: String?) -> String? {
        let conditions = [first, second].compactMap { $0 }.filter { !$0.isEmpty }
        return conditions.isEmpty ? nil : conditions.map { "(\($0))" }.joined(separator: " AND ")
    }

    /// Reads the columns of a table (`$1` = the quoted, possibly qualified name).
    static let columnsQuery = """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typname
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """

    /// Reads the primary key columns in key order (`$1` = the quoted name).
    static let primaryKeyQuery = """
        SELECT a.attname FROM pg_index i
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = $1::regclass AND i.indisprimary
        ORDER BY array_position(i.indkey::int2[], a.attnum)
        """

    /// Age in seconds of the oldest open transaction that has written (has an xid), other than ours.
    static let oldestWriterQuery = """
        SELECT EXTRACT(EPOCH FROM (now() - min(xact_start)))::bigint FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() AND datname = current_database()
        """
}
