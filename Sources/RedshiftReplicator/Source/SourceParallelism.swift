import Foundation

/// How many sessions read one table at once when a source can split it (SQLite rowid shares,
/// PostgreSQL block ranges), all in one snapshot: one per core, up to 4. Producing CSV on one
/// thread (or one server backend) is what bounds an export; the compressors use the other cores
/// meanwhile, so more readers than cores would only contend.
enum SourceParallelism {
    static let readers = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))

    /// The readers for `request`: ``readers``, at most what the run's connection budget allows it.
    static func readers(for request: ExportRequest) -> Int { max(1, min(readers, request.maxReaders ?? readers)) }
}
