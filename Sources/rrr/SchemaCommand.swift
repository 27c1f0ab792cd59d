import ArgumentParser
import Foundation
import RedshiftReplicator

struct Schema: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the Redshift DDL of tables from their source definition; --apply creates them, --diff adds missing columns.",
        discussion: """
            Prints SQL (notes as -- comments, so the output runs as it is): CREATE TABLE for each table, types mapped \
            from the source (README: "Generating the Redshift tables"). --apply creates the tables Redshift lacks and \
            leaves existing ones alone. --diff compares with the existing tables: one ALTER TABLE ... ADD COLUMN per \
            source column Redshift lacks (--apply runs them; `rrr reset TABLE` then loads the new columns' values); \
            Redshift columns the source lacks are reported, never dropped. Exit 1 when a table failed, or with --diff \
            when a table still lacks columns or is missing.
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "Tables (configured names; default: every table).") var tables: [String] = []
    @Flag(help: "Create the missing tables (with --diff: add the missing columns).") var apply = false
    @Flag(help: "Compare with the existing Redshift tables: the source columns they lack.") var diff = false
    @Flag(help: "Print the outcomes as JSON.") var json = false

    func run() async throws {
        let outcomes = try await withReplicator(options) { replicator, logger in
            try await replicator.schema(tables: tables.isEmpty ? .all : .named(tables), options: SchemaOptions(diff: diff, apply: apply), logger: logger)
        }
        let failed = outcomes.contains { $0.status == .failed }
        let pending = diff && outcomes.contains { $0.status == .differs || $0.status == .missing }
        if !(options.quiet && !failed) {
            if json { print(try JSONOutput.encode(outcomes.map(SchemaJSON.init))) } else {
                for outcome in outcomes { printLine(SchemaText.lines(outcome)) }
            }
        }
        if failed || pending { throw ExitCode(1) }
    }
}

/// `rrr schema`'s text: SQL statements, notes as `--` comments.
enum SchemaText {
    static func lines(_ outcome: TableSchema) -> String {
        let table = outcome.table, target = outcome.target
        let sql = outcome.statements.map { $0 + ";" }
        switch outcome.status {
        case .missing:
            return (["-- \(table): Redshift table \(target) does not exist (`rrr schema --apply \(table)` creates it)"] + sql).joined(separator: "\n")
        case .created:
            return (["-- \(table): created Redshift table \(target)"] + sql).joined(separator: "\n")
        case .exists:
            return (["-- \(table): Redshift table \(target) exists, left alone (`rrr schema --diff \(table)` lists the source columns it lacks); generated from the source it would be:"]
                + sql.flatMap { $0.split(separator: "\n").map { "-- " + $0 } }).joined(separator: "\n")
        case .upToDate:
            return "-- \(table): Redshift table \(target) has every source column" + extra(outcome)
        case .differs, .altered:
            let done = outcome.status == .altered
            return (["-- \(table): \(done ? "added" : "Redshift table \(target) lacks") \(outcome.missingColumns.count) source column(s)\(done ? " to \(target)" : ""): \(outcome.missingColumns.joined(separator: ", "))"]
                + sql
                + ["-- \(table): rows already in Redshift hold NULL in \(done ? "them" : "new columns"); `rrr reset \(table)` backfills them (the next `rrr replicate \(table)` loads every row again)"])
                .joined(separator: "\n") + extra(outcome)
        case .failed:
            return "-- \(table): FAILED: \(outcome.failure.map { "\($0)" } ?? "unknown error")"
        }
    }

    private static func extra(_ outcome: TableSchema) -> String {
        outcome.extraColumns.isEmpty ? ""
            : "\n-- \(outcome.table): Redshift columns the source lacks (never dropped; `rrr replicate` refuses the table while they exist, since it exports exactly the Redshift columns): \(outcome.extraColumns.joined(separator: ", "))"
    }
}

/// One table's `rrr schema`, every field present.
struct SchemaJSON: Encodable {
    let outcome: TableSchema
    init(_ outcome: TableSchema) { self.outcome = outcome }

    enum Key: String, CodingKey { case table, target, status, statements, missingColumns, extraColumns, backfill, error, failureKind, rrrVersion }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(outcome.table, forKey: .table); try c.encode(outcome.target, forKey: .target)
        try c.encode(JSONOutput.snakeCase(outcome.status.rawValue), forKey: .status)
        try c.encode(outcome.statements, forKey: .statements)
        try c.encode(outcome.missingColumns, forKey: .missingColumns); try c.encode(outcome.extraColumns, forKey: .extraColumns)
        try c.encode(outcome.missingColumns.isEmpty ? nil : "rrr reset \(outcome.table)", forKey: .backfill)
        try c.encode(outcome.failure.map { "\($0)" }, forKey: .error)
        try c.encode(outcome.failure.map { JSONOutput.snakeCase("\($0.kind)") }, forKey: .failureKind)
        try c.encode(RRRVersion.current, forKey: .rrrVersion)
    }
}
