import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A started `rrr serve` (or any long-running `rrr`), with its own environment, for tests that
/// talk to it over HTTP and stop it with a signal.
final class ServeProcess: @unchecked Sendable {
    private let process = Process()
    private let out: PipeReader, err: PipeReader
    let started = ContinuousClock.now

    init(_ arguments: [String], environment extra: [String: String] = [:]) throws {
        process.executableURL = CLIProcess.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        out = PipeReader(outPipe.fileHandleForReading)
        err = PipeReader(errPipe.fileHandleForReading)
    }

    var isRunning: Bool { process.isRunning }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

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

    /// Stops it with SIGKILL if a test ends early (a failed expectation), so no server is left running.
    func killIfRunning() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A plain HTTP GET of the metrics endpoint: status and body (nil when nothing listens yet).
enum MetricsEndpoint {
    static func get(port: Int, path: String) async -> (status: Int, body: String)? {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { return nil }
        var request = URLRequest(url: url)
        request.timeoutInterval = 5
        guard let (data, response) = try? await URLSession.shared.data(for: request),
              let http = response as? HTTPURLResponse else { return nil }
        return (http.statusCode, String(decoding: data, as: UTF8.self))
    }

    /// A TCP port nothing listens on now (the system's choice for a socket bound to port 0).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The value of the sample `name{labels}` in Prometheus text, if present.
    static func sample(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }
}
