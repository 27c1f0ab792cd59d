import Foundation
import MySQLClient

/// TLS fixtures for the connection tests: a throwaway CA, and a proxy that downgrades connections.
enum TLSTestSupport {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A new self-signed CA certificate (PEM path) that signed nothing the server presents.
    static func makeCertificateAuthority() throws -> String {
        let directory = NSTemporaryDirectory() + "rrr-ca-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=not the server's CA",
                             "-keyout", directory + "/key.pem", "-out", directory + "/ca.pem"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw MySQLError(.invalidConfiguration, "openssl could not make a CA") }
        return directory + "/ca.pem"
    }

    /// `scripts/tls-strip-proxy.py`: relays to the server, clearing CLIENT_SSL in its greeting.
    final class DowngradingProxy: @unchecked Sendable {
        let port: Int
        private let process = Process()
        private let input = Pipe()

        init(upstreamPort: Int) throws {
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", repository.appendingPathComponent("scripts/tls-strip-proxy.py").path, "0", String(upstreamPort)]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            // "ready PORT"
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
            }
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.hasPrefix("ready "), let port = Int(text.dropFirst(6)) else {
                process.terminate()
                throw MySQLError(.invalidConfiguration, "the downgrading proxy did not start: \(text)")
            }
            self.port = port
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }
}
