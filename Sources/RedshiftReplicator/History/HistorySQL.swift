/// The SQL of the history table `rrr_replications`, generated once for every source database:
/// only the spelling (``HistoryTableDialect``: types, current time, epoch conversion) differs per database.
/// Every value is bound (``SQLQuery``); ids and limits are written as numbers.
struct HistorySQL: Sendable {
    /// The database's spelling of the history table.
    let spelling: any HistoryTableDialect

    /// The warehouse the records belong to (``ReplicatorConfiguration/warehouseIdentity``): every
    /// query of a table pair is limited to it, and new records carry it, so two configurations
    /// sharing one source never read or cap each other's records.
    var warehouse: String = ""

    init(_ spelling: any HistoryTableDialect) { self.spelling = spelling }

    /// Quoting for names (the select list and the epoch expressions need quoted columns).
    var dialect: any SQLDialect { spelling.sql }
    /// The table's DDL in this database's spelling.
    var migration: HistoryMigration { HistoryMigration(spelling) }
    /// The database's "now", as stored in `updated_at`.
    private var now: String { spelling.now }
    /// Converts a stored timestamp column to Unix epoch seconds (a number).
    private func epoch(_ column: String) -> String { spelling.epoch(column) }

    static let table = "rrr_replications"

    /// Settable columns, in the order of ``ReplicationRecord/historyValues``.
    static let writable = ["replication_type", "key", "state", "lower_bound", "upper_bound", "record_count",
                           "null_field_count", "retries", "last_error", "source_table", "target_table", "slices",
                           "export_format", "export_duration", "upload_duration", "import_duration", "deleted_count",
                           "nulled_value_count", "replication_field", "key_columns", "rrr_version", "rejected_count"]

    private var t: String { dialect.quoteIdentifier(Self.table) }
    private func q(_ name: String) -> String { dialect.quoteIdentifier(name) }

    /// The select list read back by ``ReplicationRecord/init(historyRow:)``.
    var selectList: String {
        (["id"] + Self.writable).map(q).joined(separator: ", ")
            + ", " + epoch(q("created_at")) + ", " + epoch(q("updated_at"))
    }

    private func pair(_ source: String, _ target: String) -> SQLQuery {
        // Records without a warehouse (written before records carried one) count for every
        // configuration until one adopts them (``adoptUnowned(source:target:)``, under the lock).
        "\(identifier: "source_table") = \(source) AND \(identifier: "target_table") = \(target) AND \(identifier: "warehouse") IN (\(warehouse), '')"
    }

    func insert(_ record: ReplicationRecord) -> SQLQuery {
        let values = SQLQuery.joined((record.historyValues + [warehouse]).map { "\($0)" }, separator: ", ")
        let columns = (Self.writable + ["warehouse"]).map(q).joined(separator: ", ")
        return "INSERT INTO \(unescaped: t) (\(unescaped: columns)) VALUES (\(values))"
    }

    /// Gives this warehouse the pair's records written before records carried a warehouse (rrr 0.x
    /// history tables upgraded by `rrr install`): the first configuration to run the table after
    /// the upgrade continues from its high-water mark, any other starts its own history.
    func adoptUnowned(source: String, target: String) -> SQLQuery {
        "UPDATE \(unescaped: t) SET \(identifier: "warehouse") = \(warehouse) WHERE \(unowned(source, target))"
    }

    /// How many of the pair's records have no warehouse: read first, so a run writes (and on
    /// SQLite takes the database's write lock) only when there is something to adopt.
    func countUnowned(source: String, target: String) -> SQLQuery {
        "SELECT COUNT(*) FROM \(unescaped: t) WHERE \(unowned(source, target))"
    }

    private func unowned(_ source: String, _ target: String) -> SQLQuery {
        "\(identifier: "source_table") = \(source) AND \(identifier: "target_table") = \(target) AND \(identifier: "warehouse") = ''"
    }

    func update(_ record: ReplicationRecord) -> SQLQuery {
        let sets = SQLQuery.joined(zip(Self.writable, record.historyValues).map { "\(identifier: $0) = \($1)" }, separator: ", ")
        return "UPDATE \(unescaped: t) SET \(sets), \(identifier: "updated_at") = \(unescaped: now) WHERE \(identifier: "id") = \(integer: record.id)"
    }

    var newestID: SQLQuery { "SELECT MAX(\(identifier: "id")) FROM \(unescaped: t)" }

    func delete(id: Int64) -> SQLQuery { "DELETE FROM \(unescaped: t) WHERE \(identifier: "id") = \(integer: id)" }

    func latestActive(source: String, target: String) -> SQLQuery {
        "SELECT \(unescaped: selectList) FROM \(unescaped: t) WHERE \(pair(source, target)) AND \(identifier: "state") <> 'canceled' ORDER BY \(identifier: "id") DESC LIMIT 1"
    }

    func highWaterMark(source: String, target: String) -> SQLQuery {
        "SELECT \(identifier: "upper_bound") FROM \(unescaped: t) WHERE \(pair(source, target)) AND \(identifier: "state") = 'imported' AND \(identifier: "upper_bound") IS NOT NULL ORDER BY \(identifier: "id") DESC LIMIT 1"
    }

    func records(source: String, target: String, limit: Int) -> SQLQuery {
        "SELECT \(unescaped: selectList) FROM \(unescaped: t) WHERE \(pair(source, target)) ORDER BY \(identifier: "id") DESC LIMIT \(integer: max(0, limit))"
    }

    /// The id of the `keep`-th newest record: older ones go (two statements, because MySQL cannot
    /// delete from a table it reads in a `LIMIT` subquery).
    func capThreshold(source: String, target: String, keep: Int) -> SQLQuery {
        "SELECT \(identifier: "id") FROM \(unescaped: t) WHERE \(pair(source, target)) ORDER BY \(identifier: "id") DESC LIMIT 1 OFFSET \(integer: max(keep, 2) - 1)"
    }

    /// The id of the record holding the high-water mark (see ``highWaterMark(source:target:)``).
    func highWaterMarkID(source: String, target: String) -> SQLQuery {
        "SELECT \(identifier: "id") FROM \(unescaped: t) WHERE \(pair(source, target)) AND \(identifier: "state") = 'imported' AND \(identifier: "upper_bound") IS NOT NULL ORDER BY \(identifier: "id") DESC LIMIT 1"
    }

    /// Finished records older than `id`, except `keeping` (the high-water mark's record): a cap must
    /// never force a whole-table export again, nor drop a run that can still resume.
    func deleteOlder(source: String, target: String, than id: Int64, keeping kept: Int64?) -> SQLQuery {
        "DELETE FROM \(unescaped: t) WHERE \(pair(source, target)) AND \(identifier: "id") < \(integer: id) AND \(identifier: "state") IN ('imported', 'canceled') AND \(identifier: "id") <> \(integer: kept ?? -1)"
    }

    func count(source: String, target: String) -> SQLQuery {
        "SELECT COUNT(*) FROM \(unescaped: t) WHERE \(pair(source, target))"
    }

    func reset(source: String, target: String) -> SQLQuery { "DELETE FROM \(unescaped: t) WHERE \(pair(source, target))" }
}
