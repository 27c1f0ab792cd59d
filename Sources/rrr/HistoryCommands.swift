import ArgumentParser
import Foundation
import RedshiftReplicator

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show each table's last replication: state, rows, bounds, durations, lag.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "Tables (default: all).") var tables: [String] = []
    @Flag(help: "Print JSON.") var json = false
    func run() async throws {
        let replicator = Replicator(configuration: try options.load())
        let statuses = try await guarded { try await replicator.status(tables: tables, logger: options.logger()) }
        if json {
            print(try JSONOutput.encode(statuses.map(StatusJSON.init)))
        } else {
            print(OutcomeText.statusTable(statuses))
        }
    }
}

struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List a table's replication records, newest first.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The table.") var table: String
    @Option(help: "How many records.") var limit = 20
    @Flag(help: "Print JSON.") var json = false
    func run() async throws {
        let replicator = Replicator(configuration: try options.load())
        let records = try await guarded { try await replicator.history(table: table, limit: limit, logger: options.logger()) }
        if json { print(try JSONOutput.encode(records)) } else { print(OutcomeText.historyTable(records)) }
    }
}

struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cancel a table's unfinished replication; the next run starts fresh.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The table.") var table: String
    func run() async throws {
        let replicator = Replicator(configuration: try options.load())
        if let record = try await guarded({ try await replicator.cancel(table: table, logger: options.logger()) }) {
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
        let replicator = Replicator(configuration: try options.load())
        let removed = try await guarded { try await replicator.reset(table: table, logger: options.logger()) }
        print("\(table): removed \(removed) history record(s); the next run replicates every row")
    }
}

/// Runs `body`; configuration errors exit 2, others exit 1, each with a message.
func guarded<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as ConfigurationError {
        printError("\(error)")
        throw ExitCode(2)
    } catch {
        printError("\(error)")
        throw ExitCode(1)
    }
}
