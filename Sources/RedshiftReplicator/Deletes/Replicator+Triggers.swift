import Logging

/// One table's delete trigger after `triggers(install:)`.
public struct TriggerOutcome: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The table's configured name.
    public var table: String
    /// The key column the trigger records.
    public var keyColumn: String?
    /// Whether the trigger is installed afterwards.
    public var installed: Bool
    /// The error, when it failed.
    public var error: String?
    /// What a `TRUNCATE` of the table does with the trigger installed; `nil` when not installed.
    public var truncate: TruncateHandling?
    /// What the trigger does not catch in this database (see ``DeleteTrackingSQL/notes``); empty
    /// when not installed.
    public var notes: [String] = []

    public var description: String {
        if let error { return "\(table): failed: \(error)" }
        guard installed else { return "\(table): no delete trigger" }
        let truncateText = switch truncate {
        case .refused: "; TRUNCATE refused"
        case .unrecorded: "; TRUNCATE NOT recorded"
        case .notApplicable, nil: ""
        }
        return "\(table): delete trigger installed (key \(keyColumn ?? "?"))" + truncateText
    }
}

/// The SQL `rrr triggers sql` prints: notes for the reader, then the statements.
public struct TriggerScript: Sendable, Hashable {
    /// Lines for the reader (what the triggers do not catch in this database), printed as SQL comments.
    public var notes: [String]
    /// The statements, in order, without terminating `;`.
    public var statements: [String]

    /// The script as text: `-- ` comment lines, then each statement ended by `;` and a blank line.
    public var text: String {
        notes.map { "-- \($0)\n" }.joined() + (notes.isEmpty ? "" : "\n") + statements.map { $0 + ";\n\n" }.joined()
    }
}

extension Replicator {
    /// The tracked tables of `selection` (`.all`: every tracked table).
    /// Naming an untracked table is an error: rrr never puts a trigger on it.
    func trackedTables(_ selection: TableSelection) throws -> [TableConfiguration] {
        let tables = try configuration.tables(selection)
        let untracked = tables.filter { !configuration.settings(for: $0).enableDeleteTracking }
        if selection != .all, let first = untracked.first {
            throw ConfigurationError(.invalidValue, setting: "tables.\(first.name).enable_delete_tracking",
                                     "table \(first.name) does not track deletes; set enable_delete_tracking: true first")
        }
        return tables.filter { configuration.settings(for: $0).enableDeleteTracking }
    }

    /// Installs (`install: true`) or removes the delete trigger on the tracked `tables` (empty =
    /// all tracked tables); installing also creates the deletions table. Per-table outcomes.
    public func triggers(install: Bool, tables selection: TableSelection = .all, logger: Logger) async throws -> [TriggerOutcome] {
        let tables = try trackedTables(selection)
        return try await withSource { source in
            let tracking = try DeleteTrackingError.tracking(source)
            if install { try await tracking.installDeletionsTable(logger: logger) }
            let sql = try await tracking.deleteTrackingSQL(logger: logger)
            var outcomes: [TriggerOutcome] = []
            for table in tables {
                do {
                    let tracked = try await TableDeletes.trackedTable(table, source: source, logger: logger)
                    try await tracking.setTrigger(tracked, installed: install, logger: logger)
                    let installed = try await tracking.hasTrigger(tracked, logger: logger)
                    outcomes.append(TriggerOutcome(table: table.name, keyColumn: tracked.keyColumn, installed: installed,
                                                   truncate: installed ? sql.truncateHandling : nil, notes: installed ? sql.notes : []))
                    hub.publish(ReplicationEvent(install ? .triggerInstalled : .triggerRemoved, level: .info, message: install ? "delete trigger installed" : "delete trigger removed", table: table.name))
                } catch {
                    outcomes.append(TriggerOutcome(table: table.name, installed: false, error: "\(error)"))
                }
            }
            return outcomes
        }
    }

    /// The SQL that `triggers(install:)` would run, for schema migrations managed elsewhere:
    /// the deletions table and functions, then each tracked table's triggers.
    public func triggerSQL(install: Bool = true, tables selection: TableSelection = .all, logger: Logger) async throws -> [String] {
        try await triggerScript(install: install, tables: selection, logger: logger).statements
    }

    /// ``triggerSQL(install:tables:logger:)`` with notes on what the triggers do not catch in
    /// this database (``DeleteTrackingSQL/notes``).
    public func triggerScript(install: Bool = true, tables selection: TableSelection = .all, logger: Logger) async throws -> TriggerScript {
        let tables = try trackedTables(selection)
        return try await withSource { source in
            let tracking = try DeleteTrackingError.tracking(source)
            let sql = try await tracking.deleteTrackingSQL(logger: logger)
            var statements = install ? sql.installDeletionsTable : []
            for table in tables {
                let tracked = try await TableDeletes.trackedTable(table, source: source, logger: logger)
                statements += install ? sql.installTrigger(tracked) : sql.removeTrigger(tracked)
            }
            return TriggerScript(notes: sql.notes, statements: statements)
        }
    }
}
