import Logging
import PostgresNIO

/// One table's comparison: the key range of both sides split into buckets, each bucket's row
/// count and checksum compared, differing buckets split again until they span at most
/// ``VerifyOptions/smallestRange`` keys. Each level is one aggregate query per side per
/// differing range, answering one row per bucket: memory is bounded by the bucket and range
/// counts, never by the table.
struct TableVerifier: Sendable {
    let replication: TableReplication
    let options: VerifyOptions

    var table: TableConfiguration { replication.table }
    var report: EventReporter { replication.report }
    var logger: Logger { replication.report.logger }

    /// What both sides compare: the Redshift table, its key, and each column's normalisation.
    struct Plan: Sendable {
        var target: WarehouseTable
        var key: ChecksumColumn
        var columns: [ChecksumColumn]
        var source: any VerifiableSource

        func sourceQuery(table: String) -> RangeChecksumQuery {
            RangeChecksumQuery(spelling: source.checksumSpelling, table: table, key: key, columns: columns, redshift: false)
        }
        func redshiftQuery() -> RangeChecksumQuery {
            RangeChecksumQuery(spelling: RedshiftChecksumSpelling(schema: target.schema), table: target.name, key: key, columns: columns, redshift: true)
        }
    }

    /// Reads the Redshift table and the source's columns; the key must be one integer column.
    func plan(session: RedshiftSession) async throws -> Plan {
        guard let source = replication.source as? any VerifiableSource else {
            throw VerifyError("table \(table.name): this source cannot be verified (no checksum spelling)")
        }
        let target = try await replication.warehouse.table(table.targetTable, session: session)
        var keys = table.keyColumns ?? []
        if keys.isEmpty { keys = try await source.primaryKey(of: table.sourceTable, logger: logger) }
        guard keys.count == 1 else {
            throw VerifyError("table \(table.name): rrr verify compares key ranges of one integer key column; "
                + (keys.isEmpty ? "source table `\(table.sourceTable)` has no primary key (set `tables.\(table.name).key_columns`)" : "the key is (\(keys.joined(separator: ", ")))"))
        }
        let keyName = try target.columnNames(keys, setting: "table \(table.name): key column")[0]
        let shapes = try await session.rows(PostgresQuery(unsafeSQL: """
            SELECT CAST(column_name AS VARCHAR), CAST(numeric_precision AS VARCHAR), CAST(numeric_scale AS VARCHAR) \
            FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2
            """, binds: RedshiftWarehouse.binds([target.schema, target.name])))
        let numeric = Dictionary(shapes.compactMap { row in row[0].map { ($0, (row[1].flatMap { Int($0) }, row[2].flatMap { Int($0) })) } }, uniquingKeysWith: { a, _ in a })
        let available = try await source.columns(of: table.sourceTable, logger: logger)
        let request = ExportRequest(table: table.sourceTable, columns: target.columns.map(\.name), range: .all)
        let matched = try request.matchColumns(in: available)
        let columns = zip(target.columns, matched).map { redshift, source in
            ChecksumColumn(sourceName: source.name, sourceType: source.typeName, redshiftName: redshift.name,
                           kind: ChecksumKind(redshiftType: redshift.dataType, precision: numeric[redshift.name]?.0, scale: numeric[redshift.name]?.1))
        }
        guard let key = columns.first(where: { $0.redshiftName == keyName }), key.kind == .integer else {
            throw VerifyError("table \(table.name): rrr verify compares key ranges of an integer key; key column `\(keyName)` of `\(target.schema).\(target.name)` is not SMALLINT, INTEGER or BIGINT")
        }
        return Plan(target: target, key: key, columns: columns, source: source)
    }

    /// Compares the whole table.
    func compare(_ plan: Plan, session: RedshiftSession) async throws -> TableVerification {
        try await plan.source.withSnapshotQueries(table: table.sourceTable, logger: logger) { queries in
            var outcome = TableVerification(table: table.name, status: .equal)
            let sourceQuery = plan.sourceQuery(table: table.sourceTable), redshiftQuery = plan.redshiftQuery()
            let sourceBounds = try Self.keyBounds(try await queries.run(sourceQuery.keyBoundsSQL), side: "source")
            let redshiftBounds = try Self.keyBounds(try await session.rows(PostgresQuery(unsafeSQL: redshiftQuery.keyBoundsSQL)), side: "Redshift")
            let all = [sourceBounds, redshiftBounds].compactMap { $0 }
            guard let lower = all.map(\.lower).min(), let upper = all.map(\.upper).max() else { return outcome }
            var pending = [KeyRange(lower: lower, upper: upper)]
            var found: [RangeDifference] = []
            var firstLevel = true
            while !pending.isEmpty {
                let range = pending.removeFirst()
                let width = range.bucketWidth(parts: options.fanout)
                let sourceSums = try RangeChecksumQuery.parse(try await queries.run(sourceQuery.sql(range: range, width: width)), side: "source")
                let redshiftSums = try RangeChecksumQuery.parse(try await session.rows(PostgresQuery(unsafeSQL: redshiftQuery.sql(range: range, width: width))), side: "Redshift")
                if firstLevel {
                    outcome.sourceRows = sourceSums.values.reduce(0) { $0 + $1.count }
                    outcome.redshiftRows = redshiftSums.values.reduce(0) { $0 + $1.count }
                    firstLevel = false
                }
                for bucket in Set(sourceSums.keys).union(redshiftSums.keys).sorted() {
                    let here = sourceSums[bucket] ?? .empty, there = redshiftSums[bucket] ?? .empty
                    guard here != there else { continue }
                    let part = range.bucket(bucket, width: width)
                    if part.width <= options.smallestRange || found.count + pending.count >= options.maxRanges {
                        found.append(RangeDifference(range: part, sourceRows: here.count, redshiftRows: there.count))
                    } else {
                        pending.append(part)
                    }
                }
            }
            outcome.differences = found.sorted { $0.range < $1.range }
            if !outcome.differences.isEmpty {
                outcome.status = .differs
                report(.warning, .verifyDifference, "\(outcome.differences.count) key range(s) differ between \(table.sourceTable) and \(plan.target.schema).\(plan.target.name): "
                       + outcome.differences.prefix(20).map(\.description).joined(separator: ", "))
            }
            return outcome
        }
    }

    /// Compares each of `ranges` as a whole (after a repair).
    func recheck(_ ranges: [KeyRange], plan: Plan, session: RedshiftSession) async throws -> [RangeDifference] {
        try await plan.source.withSnapshotQueries(table: table.sourceTable, logger: logger) { queries in
            let sourceQuery = plan.sourceQuery(table: table.sourceTable), redshiftQuery = plan.redshiftQuery()
            var remaining: [RangeDifference] = []
            for range in ranges {
                let here = try RangeChecksumQuery.parse(try await queries.run(sourceQuery.sql(range: range, width: range.width)), side: "source")[0] ?? .empty
                let there = try RangeChecksumQuery.parse(try await session.rows(PostgresQuery(unsafeSQL: redshiftQuery.sql(range: range, width: range.width))), side: "Redshift")[0] ?? .empty
                if here != there { remaining.append(RangeDifference(range: range, sourceRows: here.count, redshiftRows: there.count)) }
            }
            return remaining
        }
    }

    private static func keyBounds(_ rows: [[String?]], side: String) throws -> KeyRange? {
        guard let row = rows.first, row.count == 2, let minText = row[0], let maxText = row[1] else { return nil }
        guard let low = Int64(minText.trimmingCharacters(in: .whitespaces)), let high = Int64(maxText.trimmingCharacters(in: .whitespaces)), high < Int64.max else {
            throw VerifyError("\(side): key bounds `\(minText)`, `\(maxText)` are not integers")
        }
        return KeyRange(lower: low, upper: high + 1)
    }
}
