import Logging

/// Runs small queries inside one source snapshot (values as text, SQL NULL as `nil`).
struct SnapshotQueries: Sendable {
    let run: @Sendable (_ sql: String) async throws -> [[String?]]
}

/// A source `rrr verify` can compare: it spells the range checksum and runs its queries in one
/// snapshot, so the comparison sees one state of the table however long it takes.
protocol VerifiableSource: ReplicationSource {
    var checksumSpelling: any ChecksumSpelling { get }
    func withSnapshotQueries<T: Sendable>(table: String, logger: Logger, _ body: (SnapshotQueries) async throws -> T) async throws -> T
}

extension SnapshotExportSource {
    /// The export's own snapshot session (the first reader; others opened for a split are closed).
    func withSnapshotQueries<T: Sendable>(table: String, logger: Logger, _ body: (SnapshotQueries) async throws -> T) async throws -> T {
        let request = ExportRequest(table: table, columns: [String](), range: .keys(column: "", ranges: []))
        let readers = try await openReaders(for: request, logger: logger)
        for extra in readers.handles.dropFirst() { try? await extra.commit(logger: logger); await extra.close() }
        let handle = readers.handles[0]
        do {
            let result = try await body(SnapshotQueries { sql in try await handle.textRows(sql, [], table: table, logger: logger) })
            try? await handle.commit(logger: logger)
            await handle.close()
            return result
        } catch {
            await handle.close()
            throw error
        }
    }
}

extension PostgresSource: VerifiableSource {
    var checksumSpelling: any ChecksumSpelling { PostgresChecksumSpelling() }
}

extension MySQLSource: VerifiableSource {
    var checksumSpelling: any ChecksumSpelling { MySQLChecksumSpelling() }
}

extension SQLiteSource: VerifiableSource {
    var checksumSpelling: any ChecksumSpelling { SQLiteChecksumSpelling() }
}
