import Foundation
import Testing

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("rrr-export-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs a shell command line (the real gzip/zstd/pigz tools), failing the test on a non-zero exit.
func shell(_ command: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "command failed: \(command)")
}

func readFile(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// A deterministic random generator, so failures can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Text-like bytes that compress somewhat, of the given size.
func sampleBytes(_ count: Int, seed: UInt64 = 7) -> [UInt8] {
    var random = SplitMix64(seed: seed)
    let words = ["alpha", "beta", "gamma", "2024-01-01 12:00:00", "42", "😀", ",", "\"", "\n", "\0"].map { Array($0.utf8) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 32)
    while bytes.count < count {
        bytes += words[Int(random.next() % UInt64(words.count))]
        if random.next() % 4 == 0 { bytes.append(UInt8(truncatingIfNeeded: random.next())) }
    }
    return Array(bytes.prefix(count))
}

/// Cuts `bytes` into pieces of random sizes up to `maximum`.
func randomChunks(_ bytes: [UInt8], maximum: Int, seed: UInt64 = 1) -> [ArraySlice<UInt8>] {
    var random = SplitMix64(seed: seed)
    var chunks: [ArraySlice<UInt8>] = []
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + Int.random(in: 1...maximum, using: &random))
        chunks.append(bytes[start..<end])
        start = end
    }
    return chunks
}
