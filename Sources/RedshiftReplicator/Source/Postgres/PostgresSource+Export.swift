import Logging
import PostgresClient

extension PostgresSource: SnapshotExportSource {
    /// Readers in one `REPEATABLE READ READ ONLY` snapshot. A whole-table export (no lower bound)
    /// of a big table is read by one session per core, each a range of the table's blocks (`ctid`,
    /// a TID range scan since PostgreSQL 14), all in the snapshot the first one exported; an
    /// incremental range is read by one session (it uses the field's index, a block range would not).
    func openReaders(for request: ExportRequest, logger: Logger) async throws -> SnapshotReaders<LibpqConnection> {
        let first = try await connect("rrr export", logger: logger)
        do {
            try await first.beginReadSnapshot()
            guard request.range.hasNoLowerBound,
                  let split = try await splitInShares(request, first: first, logger: logger) else {
                return SnapshotReaders(first)
            }
            return split
        } catch {
            await first.close()
            throw error
        }
    }

    /// One reader per core over block ranges of `table`, or `nil` (one stream) for small tables,
    /// partitioned tables, older servers, or when the snapshot cannot be shared.
    private func splitInShares(_ request: ExportRequest, first: LibpqConnection, logger: Logger) async throws -> SnapshotReaders<LibpqConnection>? {
        let parts = SourceParallelism.readers(for: request)
        guard parts > 1 else { return nil }
        let table = request.table
        let quoted = dialect.quoteQualified(table)
        let facts = try await first.query("""
            SELECT c.relkind::text, (pg_relation_size(c.oid) / current_setting('block_size')::bigint)::text,
                   current_setting('server_version_num')
            FROM pg_class c WHERE c.oid = $1::regclass
            """, [quoted]).first
        guard let facts, facts.count == 3, facts[0] == "r", let blocks = facts[1].flatMap({ Int64($0) }),
              let version = facts[2].flatMap({ Int($0) }), version >= 140_000,
              blocks >= PostgresExportSQL.parallelMinimumBlocks else { return nil }
        var partners: [LibpqConnection] = []
        do {
            let snapshot = try await first.exportSnapshot()
            for _ in 1..<parts {
                let partner = try await connect("rrr export", logger: logger)
                partners.append(partner)
                try await partner.beginReadSnapshot(adopting: snapshot)
            }
        } catch {
            // e.g. a standby that cannot export snapshots: one stream still reads everything.
            logger.debug("postgres: reading with one session", metadata: ["rrr_error": "\(error)"])
            for partner in partners { await partner.close() }
            return nil
        }
        logger.debug("postgres: parallel sessions", metadata: ["rrr_table": "\(table)", "rrr_blocks": "\(blocks)", "rrr_sessions": "\(parts)"])
        return SnapshotReaders(handles: [first] + partners, shares: PostgresExportSQL.blockShares(blocks: blocks, parts: parts))
    }

    var boundsSQL: BoundsSQL {
        BoundsSQL(
            quoteTable: { PostgresDialect().quoteQualified($0) }, dialect: PostgresDialect(),
            maxAsText: { "max(\($0))::text" }, oldestWriterQuery: PostgresExportSQL.oldestWriterQuery,
            currentTime: PostgresExportSQL.currentTime(for:),
            lowerBound: { previousUpper, lookback, field, _ in
                // The field's type as PostgreSQL prints it (from the catalog), so the arithmetic is the column's.
                let type = field.typeName
                switch lookback {
                case .seconds(let seconds):
                    return .query("SELECT (CAST($1 AS \(type)) - make_interval(secs => $2::float8))::\(type)::text",
                                  [previousUpper, String(seconds)], finish: { $0 })
                case .ids(let ids):
                    return .query("SELECT (CAST($1 AS \(type)) - CAST($2 AS \(type)))::text", [previousUpper, String(ids)], finish: { $0 })
                }
            })
    }
}

extension ExportRange {
    /// Whether the export starts at the table's first row: every row, or the first increment.
    var hasNoLowerBound: Bool {
        switch self {
        case .all, .next(_, nil, _), .fixed(_, nil, _): return true
        case .next, .fixed, .keys: return false
        }
    }
}
