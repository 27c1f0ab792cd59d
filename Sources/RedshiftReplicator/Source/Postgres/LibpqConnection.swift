import CLibpq
import Foundation
import Logging

/// One libpq connection whose blocking calls all run on its own serial dispatch queue,
/// so they never occupy Swift's cooperative thread pool.
///
/// Callers reach the connection only through ``run(_:)``: the body gets a ``LibpqSession``
/// valid for the duration of the call. Cancelling the calling task sends a cancel request to
/// the server (`PQcancel`), so a long COPY or lock wait stops promptly.
final class LibpqConnection: @unchecked Sendable {
    // Touched only on `queue` (and `cancelHandle` under `lock`).
    private let queue: DispatchQueue
    private var connection: OpaquePointer?
    private let lock = NSLock()
    private var cancelHandle: OpaquePointer?
    let description: String

    private init(connection: OpaquePointer, queue: DispatchQueue, description: String) {
        self.connection = connection
        self.queue = queue
        self.description = description
        self.cancelHandle = PQgetCancel(connection)
    }

    /// Connects to `url` and prepares the session for exports: UTC, ISO dates, exact floats.
    static func connect(_ url: DatabaseURL, applicationName: String = "rrr") async throws -> LibpqConnection {
        let queue = DispatchQueue(label: "rrr.libpq")
        var parameters: [(String, String)] = [
            ("host", url.host), ("dbname", url.database), ("application_name", applicationName),
            ("connect_timeout", "15"), ("client_encoding", "UTF8"),
        ]
        if let port = url.port { parameters.append(("port", String(port))) }
        if let user = url.user { parameters.append(("user", user)) }
        if let password = url.password { parameters.append(("password", password.value)) }
        for (key, value) in url.parameters.sorted(by: { $0.key < $1.key }) { parameters.append((key, value)) }
        let finalParameters = parameters
        let pointer: OpaquePointer = try await withCheckedThrowingContinuation { continuation in
            queue.async {
                let connection = Self.connect(finalParameters)
                if PQstatus(connection) != CONNECTION_OK {
                    let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
                    PQfinish(connection)
                    continuation.resume(throwing: SourceError(.connectionFailed, "cannot connect to \(url): \(message)"))
                } else {
                    // NOTICEs ("already exists, skipping") would go to stderr; rrr reports through events.
                    PQsetNoticeProcessor(connection, { _, _ in }, nil)
                    continuation.resume(returning: connection!)
                }
            }
        }
        let result = LibpqConnection(connection: pointer, queue: queue, description: url.description)
        try await result.run { session in
            try session.execute("""
                SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres';
                SET extra_float_digits = 3; SET standard_conforming_strings = on; SET bytea_output = 'hex'
                """)
        }
        return result
    }

    private static func connect(_ parameters: [(String, String)]) -> OpaquePointer? {
        let keywords = parameters.map { strdup($0.0) } + [nil]
        let values = parameters.map { strdup($0.1) } + [nil]
        defer { (keywords + values).forEach { free($0) } }
        return keywords.withUnsafeBufferPointer { k in
            values.withUnsafeBufferPointer { v in
                k.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: k.count) { kp in
                    v.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: v.count) { vp in
                        PQconnectdbParams(kp, vp, 0)
                    }
                }
            }
        }
    }

    /// Runs `body` on the connection's queue. Cancelling the task cancels the running statement.
    @discardableResult
    func run<T: Sendable>(_ body: @escaping @Sendable (LibpqSession) throws -> T) async throws -> T {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    guard let connection = self.connection else {
                        continuation.resume(throwing: SourceError(.connectionFailed, "connection to \(self.description) is closed"))
                        return
                    }
                    continuation.resume(with: Result { try body(LibpqSession(connection: connection, name: self.description)) })
                }
            }
        } onCancel: {
            self.cancel()
        }
    }

    /// Asks the server to cancel whatever runs now (safe from any thread).
    func cancel() {
        lock.lock(); defer { lock.unlock() }
        guard let cancelHandle else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancelHandle, &buffer, Int32(buffer.count))
    }

    /// Closes the connection (waits for a running call to finish first).
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.lock.lock()
                if let handle = self.cancelHandle { PQfreeCancel(handle) }
                self.cancelHandle = nil
                self.lock.unlock()
                if let connection = self.connection { PQfinish(connection) }
                self.connection = nil
                continuation.resume()
            }
        }
    }

    deinit {
        if let cancelHandle { PQfreeCancel(cancelHandle) }
        if let connection { PQfinish(connection) }
    }
}
