import Crypto
import Foundation

/// A file of deterministic pseudo-random bytes in the temporary directory, with its SHA-256.
struct TemporaryFile: Sendable {
    let path: String
    let size: Int
    /// The file's SHA-256 digest bytes.
    let sha256: [UInt8]

    /// Writes `size` bytes from a xorshift generator seeded with `seed`, 1 MiB at a time.
    init(size: Int, seed: UInt64) throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("rrr-s3-\(UUID().uuidString).bin").path
        self.size = size
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var hash = SHA256()
        var written = 0
        // Whole 64-bit words per step: byte loops are slow in debug builds.
        var words = [UInt64](repeating: 0, count: (1 << 20) / 8)
        while written < size {
            for index in words.indices {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                words[index] = state.littleEndian
            }
            let count = min(words.count * 8, size - written)
            let data = words.withUnsafeBytes { Data($0.prefix(count)) }
            hash.update(data: data)
            try handle.write(contentsOf: data)
            written += count
        }
        sha256 = Array(hash.finalize())
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
