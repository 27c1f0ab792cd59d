import Foundation
import Logging
import PostgresNIO

/// Redshift as rrr uses it: the target tables' columns, the load ledger, and loads.
struct RedshiftWarehouse: Sendable {
    let settings: ReplicatorConfiguration.Redshift
    /// User and password of each connection.
    let login: RedshiftLogin

    init(settings: ReplicatorConfiguration.Redshift, login: RedshiftLogin) {
        self.settings = settings
        self.login = login
    }

    /// Runs `body` on a fresh session, closing it afterwards (temp tables go with it).
    func withSession<T: Sendable>(logger: Logger, _ body: (RedshiftSession) async throws -> T) async throws -> T {
        let session = try await RedshiftSession.connect(settings, login: login, logger: logger)
        do {
            let result = try await body(session)
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    /// The target table's columns in table order, with their types, from `information_schema.columns`.
    func columns(of table: String, session: RedshiftSession) async throws -> [WarehouseColumn] {
        let rows = try await session.rows("""
            SELECT CAST(column_name AS VARCHAR), CAST(data_type AS VARCHAR) FROM information_schema.columns \
            WHERE table_schema = \(settings.schema) AND table_name = \(table) ORDER BY ordinal_position
            """)
        let columns = rows.compactMap { row in row.first.flatMap { $0 }.map { WarehouseColumn(name: $0, dataType: row.count > 1 ? row[1] ?? "" : "") } }
        if columns.isEmpty {
            throw WarehouseError(.targetTableMissing, "Redshift table `\(settings.schema).\(table)` does not exist (create it first: rrr exports exactly its columns)")
        }
        return columns
    }

    /// Creates the ledger table (idempotent).
    func installLedger(session: RedshiftSession) async throws {
        let sql = RedshiftLoadSQL(schema: settings.schema, target: "", stage: "", columns: [])
        try await session.execute(sql.createLedger)
    }

    /// Whether the load with `key` already committed.
    func ledgerContains(_ key: String, session: RedshiftSession) async throws -> Bool {
        let sql = RedshiftLoadSQL(schema: settings.schema, target: "", stage: "", columns: [])
        return try await !session.rows(PostgresQuery(unsafeSQL: sql.ledgerLookup, binds: Self.binds([key]))).isEmpty
    }

    /// Loads one replication in one transaction: stage, COPY, merge, ledger row, COMMIT.
    /// The stage table is dropped whatever happens. On a COPY failure the rows of
    /// `stl_load_errors` become the error's message.
    func load(_ plan: LoadPlan, session: RedshiftSession) async throws -> Int64 {
        let sql = plan.sql
        var copied: Int64 = 0
        do {
            try await session.execute("BEGIN")
            try await session.execute(sql.createStage)
            // An export of no rows uploads no file: the stage stays empty (a full load then empties the target).
            if let copy = plan.copy {
                do {
                    try await session.execute(copy.sql, logAs: copy.redacted)
                } catch let error as WarehouseError {
                    let details = try? await loadErrors(session: session)
                    throw WarehouseError(.loadFailed, Self.describeLoadFailure(plan: plan, error: error, details: details ?? []))
                }
                copied = Int64(try await session.rows("SELECT CAST(pg_last_copy_count() AS VARCHAR)").first?.first??.trimmingCharacters(in: .whitespaces) ?? "") ?? plan.recordCount
            }
            for statement in plan.merge { try await session.execute(statement) }
            _ = try await session.rows(PostgresQuery(unsafeSQL: sql.insertLedger, binds: Self.binds([
                plan.key, plan.sourceTable, plan.targetTable, String(copied), Self.utcNow(),
            ])))
            try await session.execute("COMMIT")
        } catch {
            try? await session.execute("ROLLBACK")
            try? await session.execute(sql.dropStage)
            throw error
        }
        try? await session.execute(sql.dropStage)
        return copied
    }

    /// The failing rows of the session's last COPY.
    private func loadErrors(session: RedshiftSession) async throws -> [LoadErrorDetail] {
        // The COPY's transaction is aborted; the errors are read after rolling it back.
        try await session.execute("ROLLBACK")
        let rows = try await session.rows("""
            SELECT CAST(TRIM(filename) AS VARCHAR), CAST(line_number AS VARCHAR), CAST(TRIM(colname) AS VARCHAR), \
            CAST(TRIM(type) AS VARCHAR), CAST(TRIM(raw_field_value) AS VARCHAR), CAST(err_code AS VARCHAR), \
            CAST(TRIM(err_reason) AS VARCHAR) FROM stl_load_errors WHERE query = pg_last_copy_id() \
            ORDER BY line_number LIMIT 10
            """)
        return rows.map { row in
            LoadErrorDetail(file: row[0] ?? "", line: Int(row[1] ?? "") ?? 0, column: row[2] ?? "", type: row[3] ?? "",
                            value: row[4] ?? "", code: Int(row[5] ?? "") ?? 0, reason: row[6] ?? "")
        }
    }

    static func describeLoadFailure(plan: LoadPlan, error: WarehouseError, details: [LoadErrorDetail]) -> String {
        var text = "COPY into \(plan.targetTable) failed: \(error.message)"
        if !details.isEmpty {
            text += "; rejected rows (stl_load_errors): " + details.map(\.description).joined(separator: "; ")
        }
        return text
    }

    static func binds(_ values: [String?]) -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { if let value { binds.append(value) } else { binds.appendNull() } }
        return binds
    }

    static func utcNow() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}

/// Everything one load needs.
struct LoadPlan: Sendable {
    var key: String
    var sourceTable: String
    var targetTable: String
    var recordCount: Int64
    var sql: RedshiftLoadSQL
    /// `nil` when the export had no rows.
    var copy: CopyStatement?
    var merge: [String]
}
