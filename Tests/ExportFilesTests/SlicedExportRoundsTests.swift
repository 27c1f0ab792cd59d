import Compression
import ExportFiles
import Foundation
import Logging
import RedshiftCSV
import Testing

@Suite("SlicedExport rounds")
struct SlicedExportRoundsTests {
    private let logger = Logger(label: "rrr.tests.export.rounds")

    private func row(_ index: Int) -> [String?] {
        ["\(index)", "user \(index) \(index &* 2_654_435_761 % 1_000_003)", index % 5 == 0 ? "multi\nline, \"quoted\"" : nil]
    }

    @Test("the file count is a multiple of the slices at every size, no file passes the limit, rounds stay balanced",
          arguments: [3, 4], [10, 3_000, 40_000, 150_000])
    func fileCountIsAMultipleOfSlices(slices: Int, rows: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let maxFileSize = 64 << 10
        var configuration = SlicedExport.Configuration(directory: directory.path, baseName: "t", sliceCount: slices, compression: .gzip)
        configuration.maxFileSize = maxFileSize
        let batch = maxFileSize / 4
        let result = try await SlicedExport.write(configuration, logger: logger) { sink in
            var writer = CSVWriter()
            for index in 0..<rows {
                for field in row(index) { writer.append(field) }
                writer.endRecord()
                if writer.recordCount == 40 { try await sink.write(writer.takeBatch()) }
            }
            try await sink.write(writer.takeBatch())
        }
        if result.rawByteCount < slices * batch {
            #expect(result.files.count == 1, "a small export is one file")
        } else {
            #expect(result.files.count % slices == 0, "\(result.files.count) files for \(slices) slices")
            #expect(result.files.count >= slices)
        }
        for file in result.files { #expect(file.compressedByteCount <= maxFileSize, "\(file.fileName): \(file.compressedByteCount)") }
        // Each round's files differ by at most one batch, plus one source batch gathered into it
        // (the last round: equal shares).
        for round in Set(result.files.map(\.round)) where result.files.count > 1 {
            let sizes = result.files.filter { $0.round == round }.map(\.rawByteCount)
            #expect(sizes.count == slices)
            #expect(sizes.max()! - sizes.min()! <= batch + 2_000, "round \(round): \(sizes)")
        }
        #expect(result.files.map(\.fileName) == result.files.indices.map { "t.\($0).csv.gz" } || result.files.count == 1)
        #expect(try directory.contents().sorted() == result.files.map(\.fileName).sorted())
        var ids: [Int] = []
        for file in result.files {
            let decompressor = try file.compression.makeDecompressor()
            var plain: [UInt8] = []
            try decompressor.decompress(try readFile(file.path), into: &plain)
            try decompressor.finish()
            let records = try CSVReader.records(in: plain).map(\.strings)
            #expect(records.count == file.rowCount)
            for record in records {
                let id = Int(record[0]!)!
                #expect(record == row(id))
                ids.append(id)
            }
        }
        #expect(ids.sorted() == Array(0..<rows))
    }

    @Test("a large export's first round is sized by the measured compression ratio: one balanced round, not a small one and a large one")
    func firstRoundUsesTheMeasuredRatio() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let slices = 2, maxFileSize = 8 << 20
        var configuration = SlicedExport.Configuration(directory: directory.path, baseName: "t", sliceCount: slices, compression: .gzip)
        configuration.maxFileSize = maxFileSize
        // About 1 MiB of varied rows, written 40 times: deflate's 32 KiB window cannot see the
        // repeat, so the ratio is a real one (about 0.3).
        var writer = CSVWriter()
        var index = 0
        while writer.bytes.count < 1 << 20 {
            for field in row(index) { writer.append(field) }
            writer.endRecord()
            index += 1
        }
        let batch = writer.takeBatch()
        let result = try await SlicedExport.write(configuration, logger: logger) { sink in
            for _ in 0..<40 { try await sink.write(batch) }
        }
        let compressed = result.files.map(\.compressedByteCount).reduce(0, +)
        #expect(compressed < maxFileSize * slices, "the whole export fits one round: \(compressed) bytes")
        // Before: the first round was cut at 0.9 x 8 MiB of raw bytes per file (ratio 1 until a
        // file finished), leaving 4 files: two of 7.2 MiB raw and two of 12.8 MiB.
        #expect(result.files.count == slices, "\(result.files.map(\.rawByteCount))")
        let sizes = result.files.map(\.rawByteCount)
        #expect(sizes.max()! - sizes.min()! <= batch.bytes.count, "\(sizes)")
        #expect(result.files.map(\.rowCount).reduce(0, +) == batch.recordCount * 40)
    }

    @Test("a batch splits at record boundaries into equal shares, quoted line feeds kept inside records")
    func batchSplit() throws {
        var writer = CSVWriter()
        for index in 0..<101 {
            writer.append("\(index)"); writer.append(index % 2 == 0 ? "a\nb" : "plain"); writer.endRecord()
        }
        let batch = writer.takeBatch()
        let pieces = batch.split(into: 4)
        #expect(pieces.count == 4)
        #expect(pieces.map(\.recordCount).reduce(0, +) == 101)
        #expect(pieces.flatMap(\.bytes) == batch.bytes)
        #expect(pieces.map(\.bytes.count).max()! - pieces.map(\.bytes.count).min()! < 40)
        for piece in pieces { #expect(try CSVReader.records(in: piece.bytes).count == piece.recordCount) }
        #expect(CSVRecordBatch(bytes: Array("1\n".utf8), recordCount: 1).split(into: 3).map(\.recordCount) == [1, 0, 0])
    }
}
