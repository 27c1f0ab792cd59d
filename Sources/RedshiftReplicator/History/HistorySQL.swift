/// The SQL of the history table `rrr_replications`, generated once for every source database:
/// only the DDL flavor, the current-time expression and the epoch conversion differ per database.
struct HistorySQL: Sendable {
    /// Quoting for names and values.
    let dialect: any SQLDialect
    /// The table's DDL in this database's flavor.
    let migration: HistoryMigration
    /// The database's "now", as stored in `updated_at`.
    let now: String
    /// Converts a stored timestamp column to Unix epoch seconds (a number).
    let epoch: @Sendable (String) -> String

    static let table = "rrr_replications"

    /// Settable columns, in the order of ``values(_:)``.
    static let writable = ["replication_type", "key", "state", "lower_bound", "upper_bound", "record_count",
                           "null_field_count", "retries", "last_error", "source_table", "target_table", "slices",
                           "export_format", "export_duration", "upload_duration", "import_duration", "deleted_count",
                           "nulled_value_count"]

    private var t: String { dialect.quoteIdentifier(Self.table) }
    private func q(_ name: String) -> String { dialect.quoteIdentifier(name) }
    private func literal(_ value: String?) -> String { value.map(dialect.quoteLiteral) ?? "NULL" }

    /// The select list read back by ``ReplicationRecord/init(historyRow:)``.
    var selectList: String {
        (["id"] + Self.writable).map(q).joined(separator: ", ")
            + ", " + epoch(q("created_at")) + ", " + epoch(q("updated_at"))
    }

    private func pair(_ source: String, _ target: String) -> String {
        "\(q("source_table")) = \(literal(source)) AND \(q("target_table")) = \(literal(target))"
    }

    func insert(_ record: ReplicationRecord) -> String {
        "INSERT INTO \(t) (\(Self.writable.map(q).joined(separator: ", "))) VALUES (\(record.historyValues.map(literal).joined(separator: ", ")))"
    }

    func update(_ record: ReplicationRecord) -> String {
        let sets = zip(Self.writable, record.historyValues).map { "\(q($0)) = \(literal($1))" }
        return "UPDATE \(t) SET \(sets.joined(separator: ", ")), \(q("updated_at")) = \(now) WHERE \(q("id")) = \(record.id)"
    }

    func delete(id: Int64) -> String { "DELETE FROM \(t) WHERE \(q("id")) = \(id)" }

    func latestActive(source: String, target: String) -> String {
        "SELECT \(selectList) FROM \(t) WHERE \(pair(source, target)) AND \(q("state")) <> 'canceled' ORDER BY \(q("id")) DESC LIMIT 1"
    }

    func highWaterMark(source: String, target: String) -> String {
        "SELECT \(q("upper_bound")) FROM \(t) WHERE \(pair(source, target)) AND \(q("state")) = 'imported' "
            + "AND \(q("upper_bound")) IS NOT NULL ORDER BY \(q("id")) DESC LIMIT 1"
    }

    func records(source: String, target: String, limit: Int) -> String {
        "SELECT \(selectList) FROM \(t) WHERE \(pair(source, target)) ORDER BY \(q("id")) DESC LIMIT \(max(0, limit))"
    }

    /// The id of the `keep`-th newest record: older ones go (two statements, because MySQL cannot
    /// delete from a table it reads in a `LIMIT` subquery).
    func capThreshold(source: String, target: String, keep: Int) -> String {
        "SELECT \(q("id")) FROM \(t) WHERE \(pair(source, target)) ORDER BY \(q("id")) DESC LIMIT 1 OFFSET \(max(keep, 2) - 1)"
    }

    func deleteOlder(source: String, target: String, than id: Int64) -> String {
        "DELETE FROM \(t) WHERE \(pair(source, target)) AND \(q("id")) < \(id)"
    }

    func count(source: String, target: String) -> String {
        "SELECT COUNT(*) FROM \(t) WHERE \(pair(source, target))"
    }

    func reset(source: String, target: String) -> String { "DELETE FROM \(t) WHERE \(pair(source, target))" }
}
