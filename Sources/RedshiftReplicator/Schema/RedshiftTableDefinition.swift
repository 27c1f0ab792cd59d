/// A Redshift table `rrr schema` generates from a source table: columns folded to lower case
/// (as Redshift stores them) and quoted, the primary key kept (informational in Redshift, but the
/// planner uses it), a sort key on the replication field and a distribution key on a one-column key.
struct RedshiftTableDefinition: Sendable, Hashable {
    struct Column: Sendable, Hashable {
        /// The name as Redshift stores it (folded).
        var name: String
        var type: RedshiftColumnType
        var notNull: Bool
        /// The source column and its declared type.
        var source: SourceColumnDefinition
    }

    /// Schema and table as Redshift stores them (folded).
    var schema: String
    var name: String
    var columns: [Column]
    /// Folded names.
    var primaryKey: [String]
    var distributionKey: String?
    var sortKey: String?

    /// Builds the definition of `table` from its source columns.
    /// - Parameters:
    ///   - primaryKey: the source's primary key (kept as Redshift's informational PRIMARY KEY).
    ///   - keyColumns: the columns rows are matched by (configured, else the primary key).
    ///   - map: the source's type mapping.
    /// - Throws: ``SchemaError`` naming the table and column: a type without mapping, two columns
    ///   one name in Redshift, a key or replication field that is no column.
    static func make(table: TableConfiguration, schema: String, columns: [SourceColumnDefinition], primaryKey: [String],
                     keyColumns: [String], map: (SourceColumnDefinition) -> RedshiftColumnType?) throws -> RedshiftTableDefinition {
        func sourceColumn(_ configured: String, _ role: String) throws -> SourceColumnDefinition {
            if let column = columns.first(where: { $0.name == configured }) ?? columns.first(where: { $0.name.lowercased() == configured.lowercased() }) {
                return column
            }
            throw SchemaError("table \(table.name): the \(role) `\(configured)` is not a column of source table `\(table.sourceTable)`")
        }
        let keys = try keyColumns.map { (name: String) throws in RedshiftNames.fold(try sourceColumn(name, "key column").name) }
        let field: String? = table.strategy == .full ? nil : try table.replicationField.map { (name: String) throws in
            RedshiftNames.fold(try sourceColumn(name, "replication field").name)
        }
        let primary = try primaryKey.map { (name: String) throws in RedshiftNames.fold(try sourceColumn(name, "primary key column").name) }
        var seen: [String: String] = [:]
        var mapped: [Column] = []
        for column in columns {
            let name = RedshiftNames.fold(column.name)
            if let other = seen[name] {
                throw SchemaError("table \(table.name): source columns `\(other)` and `\(column.name)` are both `\(name)` in Redshift, which folds names to lower case; rename one in the source")
            }
            seen[name] = column.name
            guard let type = map(column) else {
                throw SchemaError("table \(table.name): column `\(column.name)` has the source type `\(column.declaredType)`, which rrr does not map to a Redshift type; create the Redshift table yourself (rrr replicates the columns it finds there) or leave the column out of it")
            }
            // A key never loads NULL (PostgreSQL and MySQL keys are refused when nullable, the
            // SQLite export stops at a NULL key), so key columns are NOT NULL in Redshift too.
            mapped.append(Column(name: name, type: type, notNull: !column.isNullable || keys.contains(name) || primary.contains(name), source: column))
        }
        func mappedType(_ name: String) -> RedshiftColumnType? { mapped.first { $0.name == name }?.type }
        let distributionKey = keys.count == 1 && mappedType(keys[0])?.canBeKey == true ? keys[0] : nil
        let sortKey = field.flatMap { mappedType($0)?.canBeKey == true ? $0 : nil }
        return RedshiftTableDefinition(schema: RedshiftNames.fold(schema), name: RedshiftNames.fold(table.targetTable), columns: mapped,
                                       primaryKey: primary, distributionKey: distributionKey, sortKey: sortKey)
    }

    private static let dialect = RedshiftDialect()
    private func quote(_ name: String) -> String { Self.dialect.quoteIdentifier(name) }

    /// `"schema"."table"`.
    var qualifiedName: String { quote(schema) + "." + quote(name) }

    /// `CREATE TABLE` with every column, the primary key, DISTKEY (or DISTSTYLE AUTO) and SORTKEY.
    var createStatement: String {
        var lines = columns.map { "    \(quote($0.name)) \($0.type)\($0.notNull ? " NOT NULL" : "")" }
        if !primaryKey.isEmpty { lines.append("    PRIMARY KEY (\(primaryKey.map(quote).joined(separator: ", ")))") }
        var sql = "CREATE TABLE \(qualifiedName) (\n" + lines.joined(separator: ",\n") + "\n)"
        sql += distributionKey.map { "\nDISTKEY (\(quote($0)))" } ?? "\nDISTSTYLE AUTO"
        if let sortKey { sql += "\nSORTKEY (\(quote(sortKey)))" }
        return sql
    }

    /// `ALTER TABLE ... ADD COLUMN` for one column of this definition into the existing table
    /// `schema.table` (names as stored). Always nullable: the table's rows have no value for it
    /// until `rrr reset` loads them again, and Redshift refuses NOT NULL without a DEFAULT there
    /// (r_ALTER_TABLE: one column per statement, no key attributes).
    func addColumnStatement(_ column: Column, toSchema schema: String, table: String) -> String {
        "ALTER TABLE \(quote(schema)).\(quote(table)) ADD COLUMN \(quote(column.name)) \(column.type)"
    }
}

/// A source table `rrr schema` cannot describe for Redshift; names the table and column.
public struct SchemaError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
