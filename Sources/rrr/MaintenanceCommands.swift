import ArgumentParser
import Foundation
import RedshiftReplicator

extension VacuumMode: ExpressibleByArgument {}

/// Prints maintenance outcomes (JSON with `--json`); exit 1 when any table failed.
func finish(_ outcomes: [MaintenanceOutcome], json: Bool) throws {
    if json { print(try JSONOutput.encode(outcomes)) } else { for outcome in outcomes { print(outcome.description) } }
    if outcomes.contains(where: { !$0.succeeded }) { throw ExitCode(1) }
}

struct Vacuum: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "VACUUM Redshift tables (never inside a transaction).",
        discussion: "--mode auto picks by sort key: interleaved -> REINDEX, compound -> FULL, none -> DELETE ONLY.")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var selection: TableArguments
    @Option(help: "auto | full | sort-only | delete-only | reindex | recluster") var mode: VacuumMode = .auto
    @Option(help: "Sort threshold: TO N PERCENT (0-100).") var toPercent: Int?
    @Flag(help: "BOOST: more resources; blocks concurrent deletes and updates.") var boost = false

    func validate() throws {
        if let toPercent, !(0...100).contains(toPercent) { throw ValidationError("--to-percent must be between 0 and 100") }
        if toPercent != nil && mode == .reindex {
            throw ValidationError("--to-percent cannot be used with --mode reindex: Redshift's VACUUM REINDEX takes no TO n PERCENT")
        }
    }

    func run() async throws {
        let vacuumOptions = VacuumOptions(mode: mode, toPercent: toPercent, boost: boost)
        try finish(try await withReplicator(options) { try await $0.vacuum(tables: selection.selection, options: vacuumOptions, logger: $1) },
                   json: selection.json)
    }
}

struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "ANALYZE Redshift tables.")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var selection: TableArguments
    @Flag(help: "Only the columns used as predicates (ANALYZE ... PREDICATE COLUMNS).") var predicateColumns = false

    func run() async throws {
        try finish(try await withReplicator(options) { try await $0.analyze(tables: selection.selection, predicateColumns: predicateColumns, logger: $1) },
                   json: selection.json)
    }
}
