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

    @Option(help: "Log records on stderr as text (default) or json (one object a line, for log shippers).")
    var logFormat: LogFormat = .text

    @Flag(name: .shortAndLong, help: "Print nothing unless something failed (errors only in the logs; the table lines only when one failed).")
    var quiet = false

    var configPath: String { config ?? ProcessInfo.processInfo.environment["RRR_CONFIG"] ?? "rrr.yml" }

    /// Loads the configuration; a configuration error exits with code 2.
    func load() throws -> ReplicatorConfiguration {
        do { return try ReplicatorConfiguration.load(path: configPath) } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }

    func logger() -> Logger {
        let level = quiet ? .error : Logger.Level(rawValue: logLevel.lowercased()) ?? .info
        LoggingBootstrap.once(level: level, format: logFormat)
        var logger = Logger(label: "rrr")
        logger.logLevel = level
        return logger
    }
}

/// Which tables a command acts on: names or `--all`, and `--json` output. The one table-selection
/// group of every command that takes several tables.
struct TableArguments: ParsableArguments {
    @Argument(help: "Tables (configured names or source tables).")
    var tables: [String] = []

    @Flag(help: "Every configured table.")
    var all = false

    @Flag(help: "Print the outcomes as JSON.")
    var json = false

    func validate() throws {
        if tables.isEmpty && !all { throw ValidationError("name at least one table, or pass --all") }
        if !tables.isEmpty && all { throw ValidationError("pass either table names or --all, not both") }
    }

    /// The library's selection.
    var selection: TableSelection { all ? .all : .named(tables) }
}

/// `--wait`, for the commands that take a table's lock.
struct WaitOption: ParsableArguments {
    @Flag(help: "Wait for a table's lock held by another rrr process instead of skipping the table.")
    var wait = false
}

/// `--jobs`, for the commands that run tables.
struct JobsOption: ParsableArguments {
    @Option(help: "Tables replicated at once (default: the configuration's `jobs`, else 4).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }
}

/// The one way a command runs: loads the configuration, runs `body` with a replicator and the
/// logger, and turns failures into the documented exit codes with a message on stderr:
/// configuration errors 2, another process holding a table's lock 3, any other error 1 (prefixed
/// with `failure` when given). A command's own `ExitCode` passes through.
func withReplicator<T>(_ options: GlobalOptions, failure: String? = nil, _ body: (Replicator, Logger) async throws -> T) async throws -> T {
    let replicator = Replicator(configuration: try options.load())
    do { return try await body(replicator, options.logger()) } catch let error as ConfigurationError {
        printError("\(error)")
        throw ExitCode(2)
    } catch let error as ExitCode {
        throw error
    } catch let busy as ReplicationFailure where busy.kind == .lockBusy {
        printError("\(busy)")
        throw ExitCode(3)
    } catch where Task.isCancelled {
        throw error  // stopped by a signal: the caller says so in one line
    } catch {
        printError((failure.map { $0 + ": " } ?? "") + "\(error)")
        throw ExitCode(1)
    }
}

enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false
    static func once(level: Logger.Level, format: LogFormat) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in LogOutput(label: label, format: format, logLevel: level) }
    }
}

extension LogFormat: ExpressibleByArgument {}

/// Prints a line of output and flushes it at once, even into a pipe or a file (cron, systemd): no
/// line waits in a buffer behind a slow table.
func printLine(_ line: String) {
    print(line)
    fflush(nil)
}

func printError(_ message: String) {
    ProgressDisplay.shared.write("rrr: " + message + "\n")
}
