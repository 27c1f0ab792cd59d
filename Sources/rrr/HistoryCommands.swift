import ArgumentParser
import Foundation
import RedshiftReplicator

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show each table's last replication: state, rows, bounds, durations, lag.",
        discussion: """
            A health check: exits 1 when a table's last replication failed or the data in Redshift \
            is older than the table's `max_lag`, else 0.
            """)
    @OptionGroup var options: GlobalOptions
    @Argument(help: "Tables (default: all).") var tables: [String] = []
    @Flag(help: "Print JSON.") var json = false
    func run() async throws {
        let statuses = try await withReplicator(options) { replicator, logger in
            try await replicator.status(tables: tables.isEmpty ? .all : .named(tables), logger: logger)
        }
        if json {
            print(try JSONOutput.encode(statuses.map(StatusJSON.init)))
        } else {
            print(OutcomeText.statusTable(statuses))
        }
        if statuses.contains(where: \.isUnhealthy) { throw ExitCode(1) }
    }
}

struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List a table's replication records, newest first.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The table.") var table: String
    @Option(help: "How many records.") var limit = 20
    @Flag(help: "Print JSON.") var json = false
    func run() async throws {
        let records = try await withReplicator(options) { try await $0.history(table: table, limit: limit, logger: $1) }
        if json { print(try JSONOutput.encode(records.map(RecordJSON.init))) } else { print(OutcomeText.historyTable(records)) }
    }
}

struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cancel a table's unfinished replication; the next run starts fresh.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The table.") var table: String
    func run() async throws {
        if let record = try await withReplicator(options, { try await $0.cancel(table: table, logger: $1) }) {
            print("canceled replication #\(record.id) of \(table)")
        } else {
            print("\(table): no unfinished replication")
        }
    }
}

struct Reset: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Forget a table's history and high-water mark: the next run exports every row.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The table.") var table: String
    func run() async throws {
        let removed = try await withReplicator(options) { try await $0.reset(table: table, logger: $1) }
        print("\(table): removed \(removed) history record(s); the next run replicates every row")
    }
}
