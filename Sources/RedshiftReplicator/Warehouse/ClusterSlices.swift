import AsyncSupport

/// The cluster's slice count, read once per run (`SELECT COUNT(*) FROM stv_slices`) and shared by
/// its tables: COPY loads one file per slice at a time, so an export's file count is a multiple of it.
///
/// `stv_slices` is visible to every user (r_STV_SLICES). Where it cannot be read (Redshift Serverless
/// refuses STV tables with `permission denied`; it has no fixed slices) the run uses
/// ``fallback`` and says so once: set `slices:` to choose. The node type and count would need the
/// `redshift:DescribeClusters` permission and a table of slices per node type, and Serverless has
/// neither, so rrr does not guess from them.
final class ClusterSlices: Sendable {
    /// Files per round when the slice count cannot be read: the slices of a two-node cluster of the
    /// smaller node types (2 each), a fair spread for Serverless's base capacity too.
    static let fallback = 4
    static let query = "SELECT CAST(COUNT(*) AS varchar) FROM stv_slices"

    private let cached = Locked<Int?>(nil)

    /// The slice count, from the cache or read on `session` (a failure to read gives ``fallback``).
    func count(session: RedshiftSession, report: EventReporter) async -> Int {
        if let known = cached.withLock({ $0 }) { return known }
        var found = Self.fallback
        do {
            if let text = try await session.rows(.init(unsafeSQL: Self.query)).first?.first ?? nil,
               let count = Int(text), count > 0 {
                found = count
                report(.debug, .clusterSlices, "the cluster has \(count) slices (stv_slices)")
            } else {
                report(.info, .clusterSlices, "stv_slices lists no slices; writing \(Self.fallback) files per round (set `slices:` to choose)")
            }
        } catch {
            report(.info, .clusterSlices, "cannot read stv_slices (\(error)); writing \(Self.fallback) files per round (set `slices:` to choose)")
        }
        let value = found
        return cached.withLock { cached in
            if let earlier = cached { return earlier }
            cached = value
            return value
        }
    }
}
