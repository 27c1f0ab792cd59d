import AsyncSupport
import Foundation

/// `stall-proxy.py` running beside the test: a loopback TCP proxy to `host:port` whose connection
/// goes silent (open, forwarding nothing) once the client sends `trigger`, as a connection a NAT
/// gateway dropped looks to rrr. (Unchecked: `Process` and `Pipe` are not marked Sendable; the
/// test only reads them after the start, and the output is behind a mutex.)
final class StallProxy: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let stdin: Pipe
    private let output: Locked<String>

    /// Whether a connection has gone silent.
    var didStall: Bool { output.withLock { $0.contains("stalled") } }

    static func start(host: String, port: Int, trigger: String) throws -> StallProxy {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("stall-proxy.py")
        let process = Process(), stdin = Pipe(), stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, host, String(port), trigger]
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        var line = Data()
        while let byte = try stdout.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
            line.append(first)
        }
        guard let listening = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw TestStackError(message: "stall-proxy.py did not print its port (got '\(String(decoding: line, as: UTF8.self))')")
        }
        let proxy = StallProxy(port: listening, process: process, stdin: stdin)
        stdout.fileHandleForReading.readabilityHandler = { [proxy] handle in
            let data = handle.availableData
            proxy.output.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        return proxy
    }

    private init(port: Int, process: Process, stdin: Pipe) {
        self.port = port; self.process = process; self.stdin = stdin; self.output = Locked("")
    }

    /// Stops the proxy (closing its stdin ends it) and waits for it.
    func stop() {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
