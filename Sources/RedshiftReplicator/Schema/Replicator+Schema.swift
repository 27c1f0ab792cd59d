import Logging

/// What `rrr schema` does with the tables it describes.
public struct SchemaOptions: Sendable, Hashable {
    /// Compare with the existing Redshift tables: the source columns they lack become
    /// `ALTER TABLE ... ADD COLUMN` statements.
    public var diff: Bool
    /// Run the statements: create missing tables (and, with ``diff``, add missing columns).
    public var apply: Bool

    public init(diff: Bool = false, apply: Bool = false) { self.diff = diff; self.apply = apply }
}

/// One table's Redshift definition, as `rrr schema` found and (with `apply`) changed it.
public struct TableSchema: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// The Redshift table does not exist; ``TableSchema/statements`` create it.
        case missing
        /// Created by this call.
        case created
        /// It exists (without `diff`: ``TableSchema/statements`` show what rrr would create).
        case exists
        /// It lacks source columns; ``TableSchema/statements`` add them.
        case differs
        /// The missing columns were added by this call.
        case altered
        /// It has every source column.
        case upToDate
        case failed
    }

    /// The configured table name.
    public var table: String
    /// `schema.table` in Redshift (as stored when it exists, else as rrr creates it).
    public var target: String
    public var status: Status
    /// The SQL, one statement each (no trailing semicolon).
    public var statements: [String] = []
    /// Source columns the Redshift table lacks (Redshift names).
    public var missingColumns: [String] = []
    /// Redshift columns the source lacks: reported, never dropped.
    public var extraColumns: [String] = []
    public var failure: ReplicationFailure? = nil
}

extension Replicator {
    /// The Redshift table of each of `tables` generated from its source definition (types mapped
    /// per source; README "Generating the Redshift tables"); with ``SchemaOptions/apply``, missing
    /// tables are created and, with ``SchemaOptions/diff``, missing columns added (one
    /// `ALTER TABLE ... ADD COLUMN` each, nullable: existing rows get their values from a
    /// `rrr reset` of the table). Columns only Redshift has are reported, never dropped.
    /// A table that fails (a source type without mapping) never stops the others.
    public func schema(tables selection: TableSelection = .all, options: SchemaOptions = SchemaOptions(), logger: Logger) async throws -> [TableSchema] {
        let tables = try configuration.tables(selection)
        let source = try makeSource()
        var outcomes: [TableSchema] = []
        for table in tables {
            do {
                outcomes.append(try await schema(of: table, source: source, options: options, logger: logger))
            } catch {
                let target = configuration.redshift.schema + "." + table.targetTable
                outcomes.append(TableSchema(table: table.name, target: target, status: .failed, failure: ReplicationFailure(error)))
            }
        }
        await source.close()
        return outcomes
    }

    func schema(of table: TableConfiguration, source: any ReplicationSource, options: SchemaOptions, logger: Logger) async throws -> TableSchema {
        guard let described = source as? any SchemaSource else {
            throw SchemaError("table \(table.name): this source cannot describe its tables for Redshift; create the Redshift table yourself")
        }
        let columns = try await described.columnDefinitions(of: table.sourceTable, logger: logger)
        let primaryKey = try await source.primaryKey(of: table.sourceTable, logger: logger)
        let keys = try await KeyColumns.configuredOrPrimary(table, source: source, logger: logger)
        let definition = try RedshiftTableDefinition.make(
            table: table, schema: configuration.redshift.schema, columns: columns, primaryKey: primaryKey, keyColumns: keys,
            map: { described.redshiftType(for: $0) })
        return try await warehouse.withSession(logger: logger) { session in
            let existing: WarehouseTable?
            do { existing = try await warehouse.table(table.targetTable, session: session) } catch let error as WarehouseError where error.code == .targetTableMissing {
                existing = nil
            }
            guard let existing else {
                var outcome = TableSchema(table: table.name, target: definition.schema + "." + definition.name, status: .missing,
                                          statements: [definition.createStatement])
                if options.apply {
                    try await session.execute(definition.createStatement)
                    logger.info("created Redshift table \(outcome.target)", metadata: ["rrr_table": "\(table.name)"])
                    outcome.status = .created
                }
                return outcome
            }
            let target = existing.schema + "." + existing.name
            guard options.diff else { return TableSchema(table: table.name, target: target, status: .exists, statements: [definition.createStatement]) }
            let missing = definition.columns.filter { existing.column($0.name) == nil }
            let extra = existing.columns.map(\.name).filter { name in !definition.columns.contains { $0.name == RedshiftNames.fold(name) } }
            var outcome = TableSchema(
                table: table.name, target: target, status: missing.isEmpty ? .upToDate : .differs,
                statements: missing.map { definition.addColumnStatement($0, toSchema: existing.schema, table: existing.name) },
                missingColumns: missing.map(\.name), extraColumns: extra)
            if options.apply && !missing.isEmpty {
                // Each in autocommit: one column per statement, as Redshift requires.
                for statement in outcome.statements { try await session.execute(statement) }
                logger.info("added \(missing.count) column(s) to Redshift table \(target)", metadata: ["rrr_table": "\(table.name)"])
                outcome.status = .altered
            }
            return outcome
        }
    }
}
