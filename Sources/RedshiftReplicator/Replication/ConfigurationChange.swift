/// A table's strategy, replication field or key changed since its history was written: its
/// bounds (timestamps or ids of the old field) mean nothing for the new one, so the run stops
/// before any export and says how to start over.
struct ConfigurationChange: Sendable, Hashable, CustomStringConvertible {
    let table: String
    let was: String
    let now: String

    /// The change between `record` (the newest non-canceled one) and `table`'s configuration, if
    /// any. Records of an older rrr, which kept no field or key, are compared by strategy only.
    init?(table: TableConfiguration, record: ReplicationRecord) {
        let oldField = record.replicationField
        let oldKeys = record.keyColumns
        let strategyChanged = record.replicationType != table.strategy
        let fieldChanged = oldField != nil && oldField != table.replicationField
        let keysChanged = oldKeys != nil && oldKeys != Self.keyText(table) && table.strategy != .full
        guard strategyChanged || fieldChanged || keysChanged else { return nil }
        self.table = table.name
        was = Self.summary(record.replicationType, field: oldField, keys: oldKeys)
        now = Self.summary(table.strategy, field: table.replicationField, keys: Self.keyText(table))
    }

    /// The key columns as recorded: comma-separated, empty for "the source's primary key".
    static func keyText(_ table: TableConfiguration) -> String { (table.keyColumns ?? []).joined(separator: ",") }

    private static func summary(_ strategy: ReplicationStrategy, field: String?, keys: String?) -> String {
        var text = strategy.rawValue
        if let field, strategy != .full { text += " by \(field)" }
        if let keys, strategy != .full { text += keys.isEmpty ? " (key: the primary key)" : " (key: \(keys))" }
        return text
    }

    var description: String {
        "\(table) was replicated as \(was); it is now configured as \(now): run `rrr reset \(table)` to start over "
            + "(the next run then copies every row again), or restore the old setting"
    }
}
