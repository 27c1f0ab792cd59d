#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for writing through POSIX calls, so `[UInt8]` goes to disk without copies.
final class FileOutput {
    let path: String
    private var descriptor: Int32

    /// Creates (or truncates) `path`, readable by its owner only: it holds a slice of a whole table.
    init(path: String) throws(ExportError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.failure("cannot create", path) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { _ = close(descriptor) }
    }

    /// Writes all of `bytes`, retrying short writes and interruptions.
    func append(_ bytes: [UInt8]) throws(ExportError) {
        let failed: Bool = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return true
                }
                offset += written
            }
            return false
        }
        if failed { throw Self.failure("cannot write", path) }
    }

    /// Closes the file, reporting errors the kernel deferred until now.
    func closeFile() throws(ExportError) {
        let result = close(descriptor)
        descriptor = -1
        if result != 0 { throw Self.failure("cannot close", path) }
    }

    /// Removes `path`, ignoring a file that is already gone.
    static func remove(_ path: String) {
        _ = unlink(path)
    }

    private static func failure(_ action: String, _ path: String) -> ExportError {
        let reason = String(cString: strerror(errno))
        return ExportError(.fileSystem, "\(action) \(path): \(reason)")
    }
}
