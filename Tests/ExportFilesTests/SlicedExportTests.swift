import Compression
import ExportFiles
import Foundation
import Logging
import RedshiftCSV
import Testing

@Suite("SlicedExport")
struct SlicedExportTests {
    private let logger = Logger(label: "rrr.tests.export")

    /// Rows with the awkward values a real table has: quotes, newlines, NULL, the marker, emoji.
    private func row(_ index: Int) -> [String?] {
        let notes: [String?] = [nil, "", #"\N"#, "say \"hi\"", "multi\nline, with comma", "😀 𝄞", "plain"]
        return ["\(index)", "user \(index)", notes[index % notes.count], index % 3 == 0 ? nil : "\(index * 7)"]
    }

    /// Decompresses and parses every file, returning each file's rows as text.
    private func readBack(_ result: ExportResult) throws -> [[[String?]]] {
        try result.files.map { file in
            let decompressor = try file.compression.makeDecompressor()
            var plain: [UInt8] = []
            try decompressor.decompress(try readFile(file.path), into: &plain)
            try decompressor.finish()
            #expect(plain.count == file.rawByteCount)
            #expect(try readFile(file.path).count == file.compressedByteCount)
            return try CSVReader.records(in: plain).map(\.strings)
        }
    }

    @Test("rows are spread over N slices, balanced within one batch, and read back whole",
          arguments: [(CompressionFormat.gzip, 3), (.zstd, 4), (.none, 2), (.gzip, 1)])
    func writerBatches(compression: CompressionFormat, slices: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rowsPerBatch = 50, total = 20_011
        let configuration = SlicedExport.Configuration(
            directory: directory.path, baseName: "users", sliceCount: slices, compression: compression,
            batchSize: 1, queueDepth: 2)
        let result = try await SlicedExport.write(configuration, logger: logger) { sink in
            var writer = CSVWriter()
            for index in 0..<total {
                for field in row(index) { writer.append(field) }
                writer.endRecord()
                if writer.recordCount == rowsPerBatch { try await sink.write(writer.takeBatch()) }
            }
            try await sink.write(writer.takeBatch())
        }
        #expect(result.files.map(\.fileName) == (0..<slices).map { "users.\($0).csv\(compression.fileExtension)" })
        #expect(try directory.contents() == result.files.map(\.fileName))
        for file in result.files {
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file.fileName) has mode \(String(mode ?? 0, radix: 8)): slices hold table rows, for the owner only")
        }
        let counts = result.files.map(\.rowCount)
        #expect(result.rowCount == total)
        #expect(counts.max()! - counts.min()! <= rowsPerBatch)
        let read = try readBack(result)
        #expect(read.map(\.count) == counts)
        let ids = read.joined().map { Int($0[0]!)! }.sorted()
        #expect(ids == Array(0..<total))
        for record in read.joined() { #expect(record == row(Int(record[0]!)!)) }
    }

    @Test("PostgreSQL CSV cut at random places passes through unchanged, records kept whole")
    func passthroughChunks() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var writer = CSVWriter()
        for index in 0..<30_000 {
            for field in row(index) { writer.append(field) }
            writer.endRecord()
        }
        let input = writer.takeBatch().bytes
        let configuration = SlicedExport.Configuration(
            directory: directory.path, baseName: "events", sliceCount: 2, compression: .zstd, batchSize: 16_384)
        let result = try await SlicedExport.write(configuration, logger: logger) { sink in
            // The last record lacks its LF, as a stream may end.
            for chunk in randomChunks(Array(input.dropLast()), maximum: 9_000) { try await sink.write(csvBytes: chunk) }
        }
        #expect(result.rowCount == 30_000)
        #expect(result.rawByteCount == input.count)
        let counts = result.files.map(\.rowCount)
        #expect(counts.max()! - counts.min()! < 1_000)  // one 16 KiB batch is a few hundred rows
        let rows = try readBack(result).joined().sorted { Int($0[0]!)! < Int($1[0]!)! }
        #expect(rows == (0..<30_000).map(row))
    }

    @Test("slice files are read by the real gzip and zstd tools", arguments: [CompressionFormat.gzip, .zstd])
    func systemTools(compression: CompressionFormat) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = Array((0..<5_000).map { "\($0),\"text \($0)\"\n" }.joined().utf8)
        let configuration = SlicedExport.Configuration(
            directory: directory.path, baseName: "t", sliceCount: 2, compression: compression, batchSize: 4_096)
        let result = try await SlicedExport.write(configuration, logger: logger) { sink in
            try await sink.write(csvBytes: input)
        }
        var lines: [Substring] = []
        for file in result.files {
            try shell("\(compression == .gzip ? "gzip" : "zstd") -dc '\(file.path)' > '\(file.path).plain'")
            lines += String(decoding: try readFile("\(file.path).plain"), as: UTF8.self).split(separator: "\n")
        }
        #expect(lines.sorted() == String(decoding: input, as: UTF8.self).split(separator: "\n").sorted())
    }

    @Test("when the source throws, the error comes back and no slice file remains")
    func sourceFailure() async throws {
        struct SourceBroke: Error {}
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = SlicedExport.Configuration(
            directory: directory.path, baseName: "orders", sliceCount: 3, batchSize: 1_000)
        await #expect(throws: SourceBroke.self) {
            _ = try await SlicedExport.write(configuration, logger: logger) { sink in
                for _ in 0..<200 { try await sink.write(csvBytes: Array(repeating: UInt8(ascii: "x"), count: 99) + [10]) }
                throw SourceBroke()
            }
        }
        #expect(try directory.contents() == [])
    }

    @Test("when one slice cannot write its file, the export fails and the other slices' files are removed")
    func sliceFailure() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = SlicedExport.Configuration(
            directory: directory.path, baseName: "orders", sliceCount: 2, compression: .gzip, batchSize: 1)
        // A directory where slice 1's file should go makes its creation fail.
        try FileManager.default.createDirectory(atPath: configuration.path(ofSlice: 1), withIntermediateDirectories: false)
        do {
            _ = try await SlicedExport.write(configuration, logger: logger) { sink in
                for index in 0..<10_000 { try await sink.write(csvBytes: Array("\(index)\n".utf8)) }
            }
            Issue.record("the export succeeded although slice 1 could not be written")
        } catch let error as ExportError {
            #expect(error.code == .fileSystem)
            #expect(error.message.contains("orders.1.csv.gz"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(try directory.contents() == ["orders.1.csv.gz"])  // only the directory we made
    }

    @Test("raw CSV that ends inside quotes fails the export with a CSV error and leaves no file")
    func unterminatedSourceCSV() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = SlicedExport.Configuration(directory: directory.path, baseName: "bad", batchSize: 1)
        await #expect {
            _ = try await SlicedExport.write(configuration, logger: logger) { sink in
                try await sink.write(csvBytes: Array("1,ok\n2,\"never closed\n3,x\n".utf8))
            }
        } throws: { error in
            guard let error = error as? ExportError, error.code == .csv else { return false }
            return (error.underlying as? CSVError)?.code == .unterminatedQuote
        }
        #expect(try directory.contents() == [])
    }

    @Test("cancelling the export stops the source and removes the files")
    func cancellation() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = SlicedExport.Configuration(
            directory: directory.path, baseName: "endless", sliceCount: 2, batchSize: 10_000)
        let started = AsyncStream<Void>.makeStream()
        let task = Task {
            try await SlicedExport.write(configuration, logger: logger) { sink in
                var signalled = false
                while true {
                    try await sink.write(csvBytes: Array(repeating: UInt8(ascii: "y"), count: 999) + [10])
                    if !signalled, sink.rowsPerSlice.allSatisfy({ $0 > 0 }) {
                        signalled = true
                        started.continuation.yield()
                    }
                }
            }
        }
        for await _ in started.stream { break }
        task.cancel()
        let outcome = await task.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(try directory.contents() == [])
    }

    @Test("unusable settings are refused before anything is written")
    func invalidConfiguration() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bad = [
            SlicedExport.Configuration(directory: directory.path, baseName: "t", sliceCount: 0),
            SlicedExport.Configuration(directory: directory.path, baseName: "a/b"),
            SlicedExport.Configuration(directory: directory.path, baseName: "t", compression: .gzip, compressionLevel: 12),
        ]
        for configuration in bad {
            await #expect {
                _ = try await SlicedExport.write(configuration, logger: logger) { _ in }
            } throws: { ($0 as? ExportError)?.code == .invalidConfiguration }
        }
    }
}
