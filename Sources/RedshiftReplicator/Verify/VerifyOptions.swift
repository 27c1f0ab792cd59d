/// How `rrr verify` compares and repairs.
public struct VerifyOptions: Sendable, Hashable {
    /// Load the differing ranges again (export -> stage -> COPY -> delete the range + insert).
    public var repair: Bool
    /// Sub-ranges each differing range is split into at every level (2 or more). Default 32.
    public var fanout: Int
    /// Differing ranges are narrowed until they span at most this many keys. Default 1000.
    public var smallestRange: Int64
    /// Narrowing stops (the ranges found so far are reported as they are) once this many ranges
    /// differ: a table that differs everywhere is not split into millions of ranges. Default 1000.
    public var maxRanges: Int
    /// Wait for a table's lock when repairing instead of skipping the table. Default `false`.
    public var wait: Bool

    /// Creates options.
    public init(repair: Bool = false, fanout: Int = 32, smallestRange: Int64 = 1000, maxRanges: Int = 1000, wait: Bool = false) {
        self.repair = repair; self.fanout = max(2, fanout); self.smallestRange = max(1, smallestRange)
        self.maxRanges = max(1, maxRanges); self.wait = wait
    }
}

/// A key range whose rows differ between the source and Redshift.
public struct RangeDifference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The keys.
    public var range: KeyRange
    /// Rows in the source.
    public var sourceRows: Int64
    /// Rows in Redshift.
    public var redshiftRows: Int64

    public var description: String { "\(range.description) (source \(sourceRows) row(s), Redshift \(redshiftRows))" }
}

/// What `rrr verify` found (and repaired) for one table.
public struct TableVerification: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The result kinds.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Source and Redshift hold the same rows.
        case equal
        /// Some key ranges differ (see ``differences``).
        case differs
        /// Ranges differed and `--repair` made them equal.
        case repaired
        /// Another rrr process holds the table's lock (repair only).
        case skippedLocked
        /// Failed; see ``failure``.
        case failed
    }
    /// The table's configured name.
    public var table: String
    /// The result.
    public var status: Status
    /// Rows in the source when the comparison began.
    public var sourceRows: Int64 = 0
    /// Rows in Redshift when the comparison began.
    public var redshiftRows: Int64 = 0
    /// The ranges that differed, in key order.
    public var differences: [RangeDifference] = []
    /// Rows loaded again by `--repair`.
    public var repairedRows: Int64 = 0
    /// Ranges still differing after the repair (rows written in the source meanwhile).
    public var remaining: [RangeDifference] = []
    /// Why it failed, when ``status`` is `.failed`.
    public var failure: ReplicationFailure?

    /// Whether source and Redshift are equal now.
    public var isEqual: Bool { status == .equal || status == .repaired }

    public var description: String {
        switch status {
        case .equal: return "\(table): equal (\(sourceRows) rows)"
        case .differs:
            return "\(table): \(differences.count) range(s) differ (source \(sourceRows) rows, Redshift \(redshiftRows)): "
                + differences.prefix(20).map(\.description).joined(separator: ", ") + (differences.count > 20 ? ", ..." : "")
                + (remaining.isEmpty ? "" : "; still differing after the repair: " + remaining.map(\.description).joined(separator: ", "))
        case .repaired: return "\(table): repaired \(differences.count) range(s), \(repairedRows) row(s) loaded again: " + differences.prefix(20).map(\.range.description).joined(separator: ", ")
        case .skippedLocked: return "\(table): skipped (another rrr process holds its lock)"
        case .failed: return "\(table): failed: \(failure.map { "\($0)" } ?? "")"
        }
    }
}
