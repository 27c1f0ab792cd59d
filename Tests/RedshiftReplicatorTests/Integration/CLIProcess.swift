import Foundation

/// Runs the built `rrr` binary as a user would, capturing output and how it ended.
struct CLIProcess {
    struct Result {
        var status: Int32
        var killedBySignal: Bool
        var stdout: String
        var stderr: String
    }

    /// `.build/debug/rrr` next to the test bundle.
    static var binary: URL {
        let bundle = Bundle.main.bundleURL
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rrr"),
            bundle.appendingPathComponent("rrr"), bundle.deletingLastPathComponent().appendingPathComponent("rrr"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `rrr` on a Dispatch thread and waits without holding a cooperative-pool thread: the
    /// in-process emulator of the emulator tests serves its sessions on that pool, and tests run
    /// in parallel in one process.
    static func run(_ arguments: [String], environment extra: [String: String] = [:], directory: String? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try runBlocking(arguments, environment: extra, directory: directory) })
            }
        }
    }

    private static func runBlocking(_ arguments: [String], environment extra: [String: String], directory: String?) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes at once: rrr filling stderr while we wait on stdout would never end.
        let errorReader = PipeReader(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = errorReader.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
                      stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh PostgreSQL table `<prefix>_<unique>` of 25 users (id, name, updated_at), its empty Redshift
    /// target, and an installed config replicating it by `updated_at`. The caller closes the clients.
    static func installedUsersTable(_ prefix: String) async throws -> (name: String, config: String, source: SQLClient, redshift: SQLClient) {
        let name = TestStack.uniqueName(prefix)
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        try await source.execute("""
            CREATE TABLE \(name) (id bigint PRIMARY KEY, name text, updated_at timestamp DEFAULT now());
            INSERT INTO \(name) (id, name) SELECT g, 'u' || g FROM generate_series(1, 25) g
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(16), updated_at TIMESTAMP)")
        let config = try writeConfig(tables: "  \(name):\n    strategy: timed\n")
        let install = try await run(["install", "--config", config])
        guard install.status == 0 else { throw CLIFixtureError(message: "rrr install failed: \(install.stderr)") }
        return (name, config, source, redshift)
    }

    struct CLIFixtureError: Error { var message: String }

    /// A config file for `tables` (YAML lines under `tables:`), using ${VAR} interpolation of the stack's variables.
    static func writeConfig(tables: String, extraSettings: String = "", sourceURL: String = "${RRR_TEST_POSTGRES_URL}") throws -> String {
        let path = NSTemporaryDirectory() + "rrr-\(UUID().uuidString).yml"
        let yaml = """
            source:
              url: \(sourceURL)
            redshift:
              host: ${RRR_TEST_REDSHIFT_HOST}
              port: ${RRR_TEST_REDSHIFT_PORT}
              database: ${RRR_TEST_REDSHIFT_DATABASE}
              user: ${RRR_TEST_REDSHIFT_USER}
              password: ${RRR_TEST_REDSHIFT_PASSWORD}
            s3:
              bucket: ${RRR_TEST_S3_BUCKET}
              prefix: rrr-cli-tests
              endpoint: ${RRR_TEST_S3_ENDPOINT}
            aws:
              access_key_id: ${RRR_TEST_S3_ACCESS_KEY_ID}
              secret_access_key: ${RRR_TEST_S3_SECRET_ACCESS_KEY}
            settings:
              format: csv
              local_path: \(NSTemporaryDirectory())
            \(extraSettings)
            tables:
            \(tables)
            """
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// A pipe read to its end on a Dispatch thread (whose signals are blocked: a plain thread's read
/// would fail with EINTR when a child process ends).
final class PipeReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()  // written once by the reading thread, read after `done`

    init(_ handle: FileHandle) {
        DispatchQueue.global().async { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    /// Everything the pipe carried, once its writer closed it.
    func wait() -> Data {
        done.wait()
        return data
    }
}

/// A started `rrr` process, for tests that signal it mid-run.
final class RunningCLI: @unchecked Sendable {
    private let process = Process()
    private let out: PipeReader, err: PipeReader

    init(_ arguments: [String], environment extra: [String: String] = [:]) throws {
        process.executableURL = CLIProcess.binary
        process.arguments = arguments
        if !extra.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        }
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        out = PipeReader(outPipe.fileHandleForReading)
        err = PipeReader(errPipe.fileHandleForReading)
    }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// SIGKILL if it still runs (a test that failed early leaves no process behind).
    func killIfRunning() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits (on a Dispatch thread) for the process to end.
    func finish() async -> CLIProcess.Result {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [self] in
                let outData = out.wait(), errData = err.wait()
                process.waitUntilExit()
                continuation.resume(returning: CLIProcess.Result(
                    status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
                    stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self)))
            }
        }
    }
}
