import Foundation
import Logging
import NIOPosix
import PostgresNIO
import RedshiftEmulator
import Testing

/// An in-process emulator on a free loopback port, for one test.
struct EmulatorHarness {
    let port: Int
    let password = "emulator-test"

    /// Starts an emulator, runs `body`, stops it.
    static func with<Result: Sendable>(
        faults: FaultInjection = FaultInjection(), method: ClientAuthenticationMethod = .md5,
        serverless: Bool = false, varcharIgnoresTrailingBlanks: Bool = false, sliceCount: Int = 2,
        _ body: (EmulatorHarness) async throws -> Result
    ) async throws -> Result {
        var configuration = try TestServices.configuration(faults: faults, method: method)
        configuration.serverless = serverless
        configuration.varcharIgnoresTrailingBlanks = varcharIgnoresTrailingBlanks
        configuration.sliceCount = sliceCount
        let server = try await RedshiftEmulatorServer.bind(configuration: configuration, logger: TestServices.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            defer { group.cancelAll() }
            do {
                let result = try await body(EmulatorHarness(port: server.port))
                await server.close()
                return result
            } catch {
                await server.close()
                throw error
            }
        }
    }

    /// A PostgresNIO connection to the emulator (extended protocol, MD5 auth).
    func withConnection<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let configuration = PostgresConnection.Configuration(host: "127.0.0.1", port: port, username: "rrr", password: password,
                                                             database: "dev", tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: TestServices.logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Runs commands through the real `psql` (simple protocol), one `-c` each, in one session;
    /// unaligned, tuples only, `|` separated; later commands run after an error.
    func psql(_ commands: String..., password: String? = nil) async throws -> PsqlResult {
        try await Psql.run(host: "127.0.0.1", port: port, user: "rrr", database: "dev", password: password ?? self.password, commands)
    }
}

/// The real `/usr/bin/psql`, run on a Dispatch thread (it blocks while it waits, and the
/// cooperative pool belongs to the in-process emulator's sessions).
enum Psql {
    static func run(host: String, port: Int, user: String, database: String, password: String,
                    environment extra: [String: String] = [:], _ commands: [String]) async throws -> PsqlResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
                    process.arguments = ["-X", "-q", "-A", "-t", "-h", host, "-p", String(port), "-U", user, "-d", database]
                        + commands.flatMap { ["-c", $0] }
                    var environment = ProcessInfo.processInfo.environment
                    environment["PGPASSWORD"] = password
                    environment["PGCONNECT_TIMEOUT"] = "10"
                    environment.merge(extra) { $1 }
                    process.environment = environment
                    let out = Pipe(), err = Pipe()
                    process.standardOutput = out
                    process.standardError = err
                    try process.run()
                    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    process.waitUntilExit()
                    return PsqlResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
                })
            }
        }
    }
}

struct PsqlResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var description: String { "psql exit \(status), stdout: \(stdout), stderr: \(stderr)" }
    /// Output lines without empty ones.
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

/// A direct connection to the backing PostgreSQL, to check what the emulator did behind the scenes.
enum Warehouse {
    /// Runs `sql` (select text columns: cast with `::text`) and returns the rows.
    static func query(_ sql: String) async throws -> [[String?]] {
        let target = try PostgresTarget(url: try #require(TestServices.warehouseURL))
        let configuration = PostgresConnection.Configuration(host: target.host, port: target.port, username: target.user,
                                                             password: target.password, database: target.database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 2, logger: TestServices.logger)
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestServices.logger)
            var result: [[String?]] = []
            for try await row in rows {
                result.append(try row.map { cell in try cell.decode(String?.self) })
            }
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
