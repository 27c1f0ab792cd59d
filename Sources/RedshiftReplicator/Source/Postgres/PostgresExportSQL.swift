/// The few pieces of a PostgreSQL export the engine spells itself (the client builds the COPY).
enum PostgresExportSQL {
    /// The current time comparable with a timed field of `field`'s type, `nil` for other types.
    /// `timestamptz`: `now()` (the transaction's start, so the snapshot's time). `timestamp` has no
    /// zone: an application may write UTC or the server's default zone (the export session itself
    /// runs in UTC), so the later of both, which never holds back a row either writes now.
    static func currentTime(for field: SourceColumn) -> String? {
        let type = field.typeName
        let local = "GREATEST(now() AT TIME ZONE 'UTC', now() AT TIME ZONE (SELECT reset_val FROM pg_settings WHERE name = 'TimeZone'))"
        if type.hasPrefix("timestamp") && type.hasSuffix("with time zone") && !type.hasSuffix("without time zone") { return "now()" }
        if type.hasPrefix("timestamp") || type == "date" { return "CAST(\(local) AS \(type))" }
        return nil
    }

    /// Below this many 8 KiB blocks (8 MiB) a table is exported by one session.
    static let parallelMinimumBlocks: Int64 = 1024

    /// `parts` ctid ranges of about equal size covering every block: below the first boundary,
    /// between boundaries, and from the last one on (open-ended, so nothing past `blocks` is missed).
    static func blockShares(blocks: Int64, parts: Int) -> [String?] {
        let bounds = (1..<max(parts, 1)).map { blocks * Int64($0) / Int64(parts) }
        return (0..<max(parts, 1)).map { index in
            var conditions: [String] = []
            if index > 0 { conditions.append("ctid >= '(\(bounds[index - 1]),0)'::tid") }
            if index < bounds.count { conditions.append("ctid < '(\(bounds[index]),0)'::tid") }
            return conditions.isEmpty ? nil : conditions.joined(separator: " AND ")
        }
    }

    /// Age in seconds of the oldest open transaction that has written (has an xid), other than ours.
    static let oldestWriterQuery = """
        SELECT EXTRACT(EPOCH FROM (now() - min(xact_start)))::bigint FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() AND datname = current_database()
        """
}
