import AWSAuth
import AsyncSupport
import Crypto
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A local file read in parts at given offsets, from several tasks at once.
///
/// Reads (blocking `pread`) and hashing run on the file's own thread (a ``DedicatedThreadExecutor``,
/// as for every blocking client in rrr), never on the cooperative threads of Swift concurrency;
/// callers just `await`. Concurrent part uploads queue their reads there, while their uploads
/// overlap on the network.
actor PartFile {
    private let executor = DedicatedThreadExecutor()
    nonisolated let path: String
    nonisolated let size: Int64
    private nonisolated let descriptor: CInt

    /// The actor runs on its own thread.
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(path: String) throws(S3Error) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure("cannot open \(path)", errno: errno) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            let code = errno
            close(descriptor)
            throw Self.failure("\(path) is not a regular file", errno: code)
        }
        size = Int64(status.st_size)
    }

    deinit { close(descriptor) }

    /// Reads `count` bytes at `offset` and hashes them (SHA-256, hex), both on the file's thread.
    /// - Throws: ``S3Error`` with code ``S3Error/Code/fileReadFailed`` on an I/O error or when the
    ///   file got shorter than it was when opened.
    func readPart(offset: Int64, count: Int, hashed: Bool) throws(S3Error) -> (bytes: ByteBuffer, sha256: String?) {
        if count == 0 { return (ByteBuffer(), hashed ? SigV4Signer.emptyPayloadHash : nil) }
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        var readError: CInt = 0
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { memory in
            var done = 0
            while done < count {
                let result = pread(descriptor, memory.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if result > 0 {
                    done += result
                } else if result < 0, errno == EINTR {
                    continue
                } else {
                    readError = result < 0 ? errno : 0
                    break
                }
            }
            return done
        }
        guard buffer.readableBytes == count else {
            throw Self.failure("short read of \(path) at byte \(offset): \(buffer.readableBytes) of \(count) bytes", errno: readError)
        }
        let hash = hashed ? buffer.withUnsafeReadableBytes { SigV4Encoding.hex(SHA256.hash(data: $0)) } : nil
        return (buffer, hash)
    }

    private static func failure(_ message: String, errno code: CInt) -> S3Error {
        let reason = code == 0 ? "" : ": " + String(cString: strerror(code))
        return S3Error(code: .fileReadFailed, message: message + reason)
    }
}
