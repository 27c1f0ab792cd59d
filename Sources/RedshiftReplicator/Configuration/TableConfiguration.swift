/// One replicable table: where it comes from, where it goes, and how.
public struct TableConfiguration: Sendable, Hashable {
    /// The name used on the command line and in events; the YAML key. Defaults to ``sourceTable``.
    public var name: String
    /// How the table is replicated.
    public var strategy: ReplicationStrategy
    /// The table in the source database (may be `schema.table`). Defaults to ``name``.
    public var sourceTable: String
    /// The table in Redshift, in the configured Redshift schema. Defaults to ``sourceTable``.
    public var targetTable: String
    /// The field that selects increments: defaults to `updated_at` (timed) or `id` (identity); unused for full.
    public var replicationField: String?
    /// Key columns matched when merging; `nil` means the source table's primary key.
    public var keyColumns: [String]?
    /// The overlap below the previous upper bound; `nil` means the strategy's default
    /// (5 minutes for timed, 1000 ids for identity).
    public var lookback: Lookback?
    /// Per-table overrides of the global settings.
    public var overrides: TableSettingsOverrides
    /// Seconds between this table's runs under `rrr serve` (`every:`); `nil`: `serve.every`.
    public var everySeconds: Int? = nil

    /// Creates a table entry; see each property for its default.
    public init(
        name: String, strategy: ReplicationStrategy, sourceTable: String? = nil, targetTable: String? = nil,
        replicationField: String? = nil, keyColumns: [String]? = nil, lookback: Lookback? = nil,
        overrides: TableSettingsOverrides = TableSettingsOverrides()
    ) {
        self.name = name
        self.strategy = strategy
        self.sourceTable = sourceTable ?? name
        self.targetTable = targetTable ?? (sourceTable.map { Self.unqualified($0) } ?? Self.unqualified(name))
        self.replicationField = replicationField ?? strategy.defaultReplicationField
        self.keyColumns = keyColumns
        self.lookback = lookback
        self.overrides = overrides
    }

    /// The lookback in force: the configured one or the strategy's default.
    public var effectiveLookback: Lookback? {
        switch strategy {
        case .timed: return lookback ?? .timedDefault
        case .identity: return lookback ?? .identityDefault
        case .full: return nil
        }
    }

    private static func unqualified(_ name: String) -> String {
        name.split(separator: ".").last.map(String.init) ?? name
    }
}
