import Logging

/// The few operations the shared history store needs from a source database connection.
/// Statements arrive as ``SQLQuery``s: the database renders them in its dialect and binds the values.
protocol HistoryDatabase: Sendable {
    /// How the history's SQL is spelled in this database.
    var historySQL: HistorySQL { get }
    /// Runs statements without results, in order.
    func execute(_ statements: [SQLQuery], logger: Logger) async throws
    /// Runs a query; values as text, SQL NULL as `nil`.
    func query(_ query: SQLQuery, logger: Logger) async throws -> [[String?]]
    /// Runs an `INSERT` and returns the new row's id.
    func insert(_ statement: SQLQuery, logger: Logger) async throws -> Int64
}
