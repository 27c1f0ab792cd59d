/// How `VACUUM` or `ANALYZE` of one table ended. One failing table never stops the others.
public struct MaintenanceOutcome: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The table's configured name.
    public var table: String
    /// `VACUUM` or `ANALYZE`.
    public var command: String
    /// The statement sent (names quoted), when one was.
    public var statement: String?
    /// The sort key kind read for `auto` (vacuum only).
    public var sortKey: SortKeyKind?
    /// Seconds the statement took.
    public var duration: Double?
    /// The error, human-readable, when it failed.
    public var error: String?
    /// What rrr changed or waited for (e.g. `TO n PERCENT` left out for REINDEX).
    public var note: String?

    /// Whether the statement ran.
    public var succeeded: Bool { error == nil }

    public var description: String {
        var text = "\(table): \(command) "
        if let error { return text + "failed: \(error)" }
        text += "ok"
        if let statement { text += " (\(statement))" }
        if let duration { text += " in \(String(format: "%.2f", duration)) s" }
        if let note { text += "; \(note)" }
        return text
    }
}
