import Logging

extension SQLiteDatabase {
    /// Opens `count` read-only connections to `path` whose read transactions see the same snapshot,
    /// so each can export a share of one table in parallel and together they read one consistent
    /// state.
    ///
    /// SQLite has no API to share a snapshot here (`sqlite3_snapshot_open` is not compiled into
    /// Debian's library), so commits are held off instead: a separate connection takes the write lock
    /// (`BEGIN IMMEDIATE`) while every reader starts its snapshot, then gives it back. The app's
    /// writers wait for those few milliseconds only. When the write lock cannot be had within
    /// `freezeTimeoutMilliseconds` (an app transaction holds it), a single reader is returned.
    ///
    /// - Returns: 1 to `count` connections, each inside its read transaction (end it with
    ///   ``commit(logger:)``).
    package static func openReadersInOneSnapshot(
        path: String, count: Int, freezeTimeoutMilliseconds: Int32 = 2000, logger: Logger
    ) async throws -> [SQLiteDatabase] {
        var readers = [try await openReader(path: path, logger: logger)]
        guard count > 1 else {
            try await readers[0].beginReadSnapshot(logger: logger)
            return readers
        }
        do {
            for _ in 1..<count { readers.append(try await openReader(path: path, logger: logger)) }
        } catch {
            for reader in readers { await reader.close() }
            throw error
        }
        let freezer: SQLiteDatabase
        do {
            freezer = try await open(path: path, mode: .readWrite, busyTimeoutMilliseconds: freezeTimeoutMilliseconds, logger: logger)
            try await freezer.execute("BEGIN IMMEDIATE", logger: logger)
        } catch {
            logger.debug("sqlite: no write lock to align snapshots, reading with one connection", metadata: ["rrr_error": "\(error)"])
            for reader in readers.dropFirst() { await reader.close() }
            try await readers[0].beginReadSnapshot(logger: logger)
            return [readers[0]]
        }
        do {
            for reader in readers { try await reader.beginReadSnapshot(logger: logger) }
            try await freezer.rollback(logger: logger)
            await freezer.close()
            return readers
        } catch {
            try? await freezer.rollback(logger: logger)
            await freezer.close()
            for reader in readers { await reader.close() }
            throw error
        }
    }

    /// A read-only connection with a small page cache: an export scans each page once, so the
    /// default 2 MiB cache per reader would only add to the process's memory.
    private static func openReader(path: String, logger: Logger) async throws -> SQLiteDatabase {
        let reader = try await open(path: path, logger: logger)
        try await reader.execute("PRAGMA cache_size = -256", logger: logger)
        return reader
    }

    /// Rowid bounds splitting `table` into `parts` ranges of about equal width, or `nil` when the
    /// table has no usable rowid (a `WITHOUT ROWID` table, or a column named `_rowid_`) or fewer
    /// than `minimumRows` rowids between its lowest and highest.
    ///
    /// The `i`-th range is `_rowid_ > bounds[i-1] AND _rowid_ <= bounds[i]` (open below the first
    /// and above the last); any split point partitions the rows, whatever the snapshot.
    package func rowidSplit(table: String, parts: Int, minimumRows: Int64, logger: Logger) throws -> [Int64]? {
        guard parts > 1 else { return nil }
        // A column named `_rowid_` would shadow the rowid (and its NULLs would fall in no range).
        guard try !columns(ofTable: table, logger: logger).contains(where: { $0.name.lowercased() == "_rowid_" }) else { return nil }
        let range: SQLiteResultSet
        do {
            range = try query("SELECT min(_rowid_), max(_rowid_) FROM \(Self.quoteIdentifier(table))", table: table, logger: logger)
        } catch {
            return nil
        }
        guard let row = range.rows.first, row.count == 2, case .integer(let low) = row[0], case .integer(let high) = row[1],
              high.subtractingReportingOverflow(low).partialValue >= minimumRows, high > low else { return nil }
        let width = (high - low) / Int64(parts)
        return (1..<parts).map { low + width * Int64($0) }
    }
}
