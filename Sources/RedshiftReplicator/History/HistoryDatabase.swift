import Logging

/// The few operations the shared history store needs from a source database connection.
/// Statements arrive complete, with every value already a quoted literal.
protocol HistoryDatabase: Sendable {
    /// How the history's SQL is spelled in this database.
    var historySQL: HistorySQL { get }
    /// Runs statements without results (the DDL may hold several, separated by `;`).
    func execute(_ sql: [String], logger: Logger) async throws
    /// Runs a query; values as text, SQL NULL as `nil`.
    func query(_ sql: String, logger: Logger) async throws -> [[String?]]
    /// Runs an `INSERT` and returns the new row's id.
    func insert(_ sql: String, logger: Logger) async throws -> Int64
}
