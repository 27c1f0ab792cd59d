import ArgumentParser
import Foundation
import RedshiftReplicator

struct Triggers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Install or remove the delete-tracking triggers, or print their SQL.",
        discussion: """
            Acts on tables with enable_delete_tracking: true (all of them when none is named). Each \
            gets an AFTER DELETE ... FOR EACH ROW trigger recording the deleted key in rrr_deleted_keys. \
            TRUNCATE fires no row trigger: PostgreSQL tables also get a BEFORE TRUNCATE trigger that \
            refuses it; in MySQL/MariaDB neither a TRUNCATE nor an ON DELETE CASCADE is recorded (no \
            trigger fires for them); SQLite has no TRUNCATE. `sql` prints these notes as comments.
            """)

    enum Action: String, ExpressibleByArgument, CaseIterable { case install, remove, sql }

    @OptionGroup var options: GlobalOptions
    @Argument(help: "install | remove | sql") var action: Action
    @Argument(help: "Tracked tables (default: every tracked table).") var tables: [String] = []

    var selection: TableSelection { tables.isEmpty ? .all : .named(tables) }
    @Flag(help: "With `sql`: print the removal SQL instead.") var remove = false

    func run() async throws {
        let outcomes: [TriggerOutcome] = try await withReplicator(options) { replicator, logger in
            switch action {
            case .sql:
                print(try await replicator.triggerScript(install: !remove, tables: selection, logger: logger).text, terminator: "")
                return []
            case .install, .remove:
                return try await replicator.triggers(install: action == .install, tables: selection, logger: logger)
            }
        }
        guard action != .sql else { return }
        if outcomes.isEmpty { print("no table has enable_delete_tracking: true") }
        for outcome in outcomes { print(outcome.description) }
        if action == .install, let notes = outcomes.first(where: { !$0.notes.isEmpty })?.notes {
            for note in notes { print("note: " + note) }
        }
        if outcomes.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }
}

struct Deletes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Propagate the recorded deletes of tracked tables to Redshift now (replicate does it too).")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var selection: TableArguments
    @OptionGroup var lock: WaitOption

    func run() async throws {
        let outcomes = try await withReplicator(options) { replicator, logger in
            try await replicator.propagateDeletes(tables: selection.selection, wait: lock.wait, logger: logger)
        }
        if selection.json { print(try JSONOutput.encode(outcomes)) } else {
            if outcomes.isEmpty { print("no table has enable_delete_tracking: true") }
            for outcome in outcomes { print(outcome.description) }
        }
        if outcomes.contains(where: { $0.status == .failed }) { throw ExitCode(1) }
        if outcomes.contains(where: { $0.status == .skippedLocked }) { throw ExitCode(3) }
    }
}
