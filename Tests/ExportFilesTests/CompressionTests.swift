import Compression
import Testing

@Suite("Compression")
struct CompressionTests {
    private func compress(_ format: CompressionFormat, _ input: [UInt8], level: Int? = nil, chunk: Int = 65_536) throws -> [UInt8] {
        let compressor = try format.makeCompressor(level: level)
        var output: [UInt8] = []
        for piece in randomChunks(input, maximum: chunk) { try compressor.compress(Array(piece), into: &output) }
        try compressor.finish(into: &output)
        return output
    }

    private func decompress(_ format: CompressionFormat, _ input: [UInt8], chunk: Int = 65_536) throws -> [UInt8] {
        let decompressor = try format.makeDecompressor()
        var output: [UInt8] = []
        for piece in randomChunks(input, maximum: chunk, seed: 9) { try decompressor.decompress(Array(piece), into: &output) }
        try decompressor.finish()
        return output
    }

    @Test("round trips through our compressor and decompressor, chunked", arguments: CompressionFormat.allCases)
    func roundTrip(format: CompressionFormat) throws {
        for input in [[], [0x41], sampleBytes(3_000_000)] as [[UInt8]] {
            let compressed = try compress(format, input)
            if format != .none, input.count > 1000 { #expect(compressed.count < input.count / 2) }
            #expect(try decompress(format, compressed, chunk: 777) == input)
        }
    }

    @Test("our files are read by the real gzip and zstd tools", arguments: [CompressionFormat.gzip, .zstd])
    func readBySystemTools(format: CompressionFormat) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = sampleBytes(2_000_000)
        let path = directory.file("data\(format.fileExtension)")
        try writeFile(path, try compress(format, input))
        let tool = format == .gzip ? "gzip" : "zstd"
        try shell("\(tool) -dc '\(path)' > '\(directory.file("plain"))'")
        #expect(try readFile(directory.file("plain")) == input)
    }

    @Test("files made by gzip -1, pigz and zstd -1 are read by our decompressors")
    func readSystemToolFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = sampleBytes(2_500_000, seed: 3)
        let plain = directory.file("plain")
        try writeFile(plain, input)
        try shell("gzip -1 -c '\(plain)' > '\(plain).gz' && pigz -1 -p 2 -c '\(plain)' > '\(plain).pigz.gz'")
        try shell("zstd -q -1 -c '\(plain)' > '\(plain).zst'")
        #expect(try decompress(.gzip, readFile("\(plain).gz")) == input)
        #expect(try decompress(.gzip, readFile("\(plain).pigz.gz")) == input)
        #expect(try decompress(.zstd, readFile("\(plain).zst"), chunk: 1000) == input)
    }

    @Test("multi-member gzip (ours and gzip's, concatenated) decompresses to the concatenation")
    func multiMemberGzip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = sampleBytes(300_000, seed: 1), second = sampleBytes(200_000, seed: 2)
        try writeFile(directory.file("second"), second)
        try shell("gzip -c '\(directory.file("second"))' > '\(directory.file("second.gz"))'")
        let members = try compress(.gzip, first) + readFile(directory.file("second.gz")) + compress(.gzip, [])
        #expect(try decompress(.gzip, members, chunk: 5_000) == first + second)
        // The member boundary falling exactly between two calls works too.
        let ours = try compress(.gzip, first)
        let decompressor = try CompressionFormat.gzip.makeDecompressor()
        var output: [UInt8] = []
        try decompressor.decompress(ours, into: &output)
        try decompressor.decompress(try compress(.gzip, second), into: &output)
        try decompressor.finish()
        #expect(output == first + second)
        // And gzip itself reads our concatenation.
        try writeFile(directory.file("both.gz"), members)
        try shell("gzip -dc '\(directory.file("both.gz"))' > '\(directory.file("both"))'")
        #expect(try readFile(directory.file("both")) == first + second)
    }

    @Test("concatenated zstd frames decompress to the concatenation")
    func multiFrameZstd() throws {
        let first = sampleBytes(100_000, seed: 4), second = sampleBytes(50_000, seed: 5)
        let frames = try compress(.zstd, first) + compress(.zstd, second)
        #expect(try decompress(.zstd, frames, chunk: 333) == first + second)
    }

    @Test("truncated input is reported as truncated", arguments: [CompressionFormat.gzip, .zstd])
    func truncated(format: CompressionFormat) throws {
        let compressed = try compress(format, sampleBytes(100_000))
        #expect { try decompress(format, Array(compressed.dropLast(10))) } throws: {
            ($0 as? CompressionError)?.code == .truncatedInput
        }
    }

    @Test("garbage is reported as corrupt input", arguments: [CompressionFormat.gzip, .zstd])
    func corrupt(format: CompressionFormat) throws {
        var compressed = try compress(format, sampleBytes(100_000))
        for index in stride(from: 20, to: compressed.count - 20, by: 97) { compressed[index] ^= 0x5A }
        #expect { try decompress(format, compressed) } throws: { ($0 as? CompressionError)?.code == .corruptInput }
        #expect { try decompress(format, Array("not compressed at all".utf8)) } throws: {
            ($0 as? CompressionError)?.code == .corruptInput
        }
    }

    @Test("levels outside a format's range are refused")
    func levels() throws {
        #expect { try CompressionFormat.gzip.makeCompressor(level: 10) } throws: {
            ($0 as? CompressionError)?.code == .invalidLevel
        }
        #expect { try CompressionFormat.zstd.makeCompressor(level: 99) } throws: {
            ($0 as? CompressionError)?.code == .invalidLevel
        }
        // Higher levels really compress more.
        let input = sampleBytes(1_000_000)
        #expect(try compress(.zstd, input, level: 19).count < compress(.zstd, input, level: 1).count)
        #expect(try compress(.gzip, input, level: 9).count < compress(.gzip, input, level: 1).count)
    }

    @Test("formats name their file extension and COPY keyword")
    func naming() {
        #expect(CompressionFormat.allCases.map(\.fileExtension) == ["", ".gz", ".zst"])
        #expect(CompressionFormat.allCases.map(\.copyKeyword) == [nil, "GZIP", "ZSTD"])
        #expect(CompressionFormat.allCases.map(\.defaultLevel) == [0, 1, 1])
    }
}
