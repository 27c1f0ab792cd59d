/// Which `VACUUM` variant to run.
public enum VacuumMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Chosen per table from its sort key: interleaved -> `REINDEX`, compound -> `FULL`,
    /// none -> `DELETE ONLY` (``SortKeyKind/automaticMode``).
    case auto
    /// `VACUUM FULL`: reclaims deleted rows' space and re-sorts.
    case full
    /// `VACUUM SORT ONLY`: re-sorts without reclaiming space.
    case sortOnly = "sort-only"
    /// `VACUUM DELETE ONLY`: reclaims space without sorting.
    case deleteOnly = "delete-only"
    /// `VACUUM REINDEX`: re-analyzes interleaved sort keys, then a full vacuum.
    case reindex
    /// `VACUUM RECLUSTER`: sorts the unsorted part of the table only.
    case recluster

    /// Whether `TO n PERCENT` may follow: every variant but `REINDEX` (r_VACUUM_command).
    public var takesThreshold: Bool { self != .reindex }

    /// The SQL keyword(s); `nil` for ``auto``, which must be resolved first.
    public var keyword: String? {
        switch self {
        case .auto: return nil
        case .full: return "FULL"
        case .sortOnly: return "SORT ONLY"
        case .deleteOnly: return "DELETE ONLY"
        case .reindex: return "REINDEX"
        case .recluster: return "RECLUSTER"
        }
    }
}

/// The kind of sort key a Redshift table has.
public enum SortKeyKind: String, Sendable, Hashable, Codable {
    /// No sort key.
    case none
    /// A compound sort key (positive `pg_table_def.sortkey` values).
    case compound
    /// An interleaved sort key (any negative `pg_table_def.sortkey` value).
    case interleaved

    /// The kind from a table's `pg_table_def.sortkey` values (0 = not part of the key).
    public init(sortKeyPositions: [Int]) {
        if sortKeyPositions.contains(where: { $0 < 0 }) { self = .interleaved }
        else if sortKeyPositions.contains(where: { $0 > 0 }) { self = .compound }
        else { self = .none }
    }

    /// The variant `auto` picks: REINDEX for interleaved, FULL for compound, DELETE ONLY for none.
    public var automaticMode: VacuumMode {
        switch self {
        case .interleaved: return .reindex
        case .compound: return .full
        case .none: return .deleteOnly
        }
    }
}

/// One `VACUUM` request: a variant, an optional sort threshold and `BOOST`.
public struct VacuumOptions: Sendable, Hashable {
    /// The variant. Default ``VacuumMode/auto``.
    public var mode: VacuumMode
    /// `TO n PERCENT` (0...100); `nil` keeps Redshift's default (95). Left out for `REINDEX`,
    /// which takes none (also when `auto` picks it). Default `nil`.
    public var toPercent: Int?
    /// `BOOST` (more resources, blocks concurrent deletes/updates). Default `false`.
    public var boost: Bool

    /// Creates options; see each property for its default.
    public init(mode: VacuumMode = .auto, toPercent: Int? = nil, boost: Bool = false) {
        self.mode = mode; self.toPercent = toPercent; self.boost = boost
    }
}
