/// How many tables run at once and the connection budgets they share (`jobs`,
/// `max_source_connections`, `max_redshift_connections` in rrr.yml).
///
/// Each running table holds two source connections (its lock's session and one export reader) and
/// one Redshift session; the run holds one more source connection for history and metadata. A
/// whole-table export reads with more sessions (one per core, up to 4) only while the source
/// budget has them free, so the budget is never exceeded; tables wait for a budget rather than fail.
public struct Parallelism: Sendable, Hashable {
    /// Tables replicated at once (`jobs`, `--jobs`). Default 4.
    public var jobs: Int
    /// The most source connections one rrr process opens (`max_source_connections`, at least 3).
    /// Default `2 × jobs + 4`: every job, the shared session, and one whole-table export's extra readers.
    public var maxSourceConnections: Int?
    /// The most Redshift sessions one rrr process opens at once (`max_redshift_connections`).
    /// Default `jobs`.
    public var maxRedshiftConnections: Int?

    /// The default jobs.
    public static let defaultJobs = 4
    /// Source connections a running table holds: its lock's session and one export reader.
    static let sourceConnectionsPerTable = 2

    /// Creates settings.
    public init(jobs: Int = Parallelism.defaultJobs, maxSourceConnections: Int? = nil, maxRedshiftConnections: Int? = nil) {
        self.jobs = jobs; self.maxSourceConnections = maxSourceConnections; self.maxRedshiftConnections = maxRedshiftConnections
    }

    /// The source budget in force for `jobs` tables at once.
    func sourceBudget(jobs: Int) -> Int { maxSourceConnections ?? (2 * jobs + 4) }

    /// The Redshift budget in force for `jobs` tables at once.
    func redshiftBudget(jobs: Int) -> Int { maxRedshiftConnections ?? jobs }
}
