import ArgumentParser
import Foundation
import Logging
import RedshiftReplicator

/// Options every command that talks to databases shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Configuration file (default: $RRR_CONFIG or ./rrr.yml).")
    var config: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    var configPath: String { config ?? ProcessInfo.processInfo.environment["RRR_CONFIG"] ?? "rrr.yml" }

    /// Loads the configuration; a configuration error exits with code 2.
    func load() throws -> ReplicatorConfiguration {
        do { return try ReplicatorConfiguration.load(path: configPath) } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }

    func logger() -> Logger {
        let level = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
        LoggingBootstrap.once(level: level)
        var logger = Logger(label: "rrr")
        logger.logLevel = level
        return logger
    }
}

/// Table selection for replicate/export/import.
struct TableSelection: ParsableArguments {
    @Argument(help: "Tables to process (configured names or source tables).")
    var tables: [String] = []

    @Flag(help: "Process every configured table.")
    var all = false

    @Flag(help: "Wait for a table's lock held by another rrr process instead of skipping the table.")
    var wait = false

    @Flag(help: "Print the outcomes as JSON.")
    var json = false

    func validate() throws {
        if tables.isEmpty && !all { throw ValidationError("name at least one table, or pass --all") }
        if !tables.isEmpty && all { throw ValidationError("pass either table names or --all, not both") }
    }
}

enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false
    static func once(level: Logger.Level) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data(("rrr: " + message + "\n").utf8))
}
