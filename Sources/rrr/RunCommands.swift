import ArgumentParser
import Foundation
import Logging
import AsyncSupport
import RedshiftReplicator

/// Runs one replication step over the selected tables and exits with the documented code.
/// SIGINT or SIGTERM stops the run cleanly (``StopSignals``): each table's cleanup runs (local files
/// removed, lock released, its record left for the next run to resume), then one line says so and
/// the exit code is the shell's for the signal (130, 143).
func runStep(_ options: GlobalOptions, _ selection: TableArguments, _ lock: WaitOption,
             _ operation: @escaping @Sendable (Replicator, TableSelection, Bool, Logger) async throws -> [TableOutcome]) async throws {
    let tables = selection.selection, wait = lock.wait
    let (result, signal) = await StopSignals.run {
        try await withReplicator(options) { replicator, logger in
            let stopProgress = ProgressDisplay.start(replicator, options: options)
            defer { stopProgress?() }
            return try await operation(replicator, tables, wait, logger)
        }
    }
    if let signal {
        let outcomes = (try? result.get()) ?? []
        let finished = outcomes.filter { $0.status != .failed }.count
        printError("stopped by \(signal.name): \(finished) of \(outcomes.count) table(s) finished; the others resume on the next run (local files removed, locks released)")
        throw ExitCode(signal.exitCode)
    }
    let outcomes = try result.get()
    let code = exitCode(for: outcomes)
    if options.quiet && code != 1 { throw ExitCode(code) }
    if selection.json {
        print(try JSONOutput.encode(outcomes.map(OutcomeJSON.init)))
    } else {
        for outcome in outcomes { printLine(OutcomeText.line(outcome)) }
    }
    throw ExitCode(code)
}

/// 1 when any table failed, else 3 when any was skipped because locked, else 0.
func exitCode(for outcomes: [TableOutcome]) -> Int32 {
    if outcomes.contains(where: { $0.status == .failed }) { return 1 }
    if outcomes.contains(where: { $0.status == .skippedLocked }) { return 3 }
    return 0
}

struct Replicate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export, upload and import tables (resuming unfinished replications).")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var selection: TableArguments
    @OptionGroup var lock: WaitOption
    @OptionGroup var parallel: JobsOption
    func run() async throws {
        try await runStep(options, selection, lock) { try await $0.replicate(tables: $1, wait: $2, jobs: parallel.jobs, logger: $3) }
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export and upload tables to S3 without importing them.")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var selection: TableArguments
    @OptionGroup var lock: WaitOption
    @OptionGroup var parallel: JobsOption
    func run() async throws {
        try await runStep(options, selection, lock) { try await $0.export(tables: $1, wait: $2, jobs: parallel.jobs, logger: $3) }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import into Redshift what an earlier export uploaded.")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var selection: TableArguments
    @OptionGroup var lock: WaitOption
    @OptionGroup var parallel: JobsOption
    func run() async throws {
        try await runStep(options, selection, lock) { try await $0.import(tables: $1, wait: $2, jobs: parallel.jobs, logger: $3) }
    }
}

struct Install: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create the history table in the source and the load ledger in Redshift (idempotent).")
    @OptionGroup var options: GlobalOptions
    func run() async throws {
        let history = try await withReplicator(options, failure: "install failed") { replicator, logger in
            try await replicator.install(logger: logger)
            return replicator.historyFile
        }
        let place = history.map { "rrr_replications in \($0), rrr_deleted_keys in the source database" }
            ?? "rrr_replications and rrr_deleted_keys in the source database"
        print("installed: \(place), rrr_load_ledger in Redshift")
    }
}

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a commented starter rrr.yml.")
    @Argument(help: "Where to write it.") var path = "rrr.yml"
    @Option(help: "The source database: postgres (default), mysql, mariadb, sqlite.") var source: ReplicatorConfiguration.StarterSource = .postgres
    @Flag(help: "Overwrite an existing file.") var force = false
    func run() async throws {
        if FileManager.default.fileExists(atPath: path) && !force {
            printError("\(path) exists; pass --force to overwrite it")
            throw ExitCode(2)
        }
        // Ending in a newline, so a table appended to the closing `tables:` section starts a line.
        let text = ReplicatorConfiguration.starterYAML(source: source)
        try (text.hasSuffix("\n") ? text : text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(path): fill in the source, Redshift, S3 and the tables, then run `rrr install`")
    }
}

extension ReplicatorConfiguration.StarterSource: ExpressibleByArgument {}
