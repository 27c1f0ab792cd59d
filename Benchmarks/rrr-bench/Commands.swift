import Compression
import ExportFiles
import Foundation
import Logging
import RedshiftCSV

/// The benchmark's modes. Each prints one `key=value` line the script reads.
enum Commands {
    /// CSV writer only, in memory: rows -> bytes, batches dropped.
    static func writer(rows: Int) async {
        let table = SampleTable()
        let clock = ContinuousClock(), start = clock.now
        var writer = CSVWriter()
        var bytes = 0
        for index in 0..<rows {
            table.append(row: index, to: &writer)
            if writer.bytes.count >= 1 << 20 { bytes += writer.takeBatch().bytes.count }
        }
        bytes += writer.takeBatch().bytes.count
        report("writer", bytes: bytes, rows: rows, since: start, clock: clock)
    }

    /// Writes the sample table as one plain CSV file (the bytes the external tools compress).
    static func generate(rows: Int, path: String) async throws {
        let table = SampleTable()
        guard let file = FileHandle(forWritingAtPath: path) ?? {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { throw BenchError("cannot write \(path)") }
        try file.truncate(atOffset: 0)
        var writer = CSVWriter()
        var bytes = 0
        for index in 0..<rows {
            table.append(row: index, to: &writer)
            if writer.bytes.count >= 4 << 20 {
                let batch = writer.takeBatch().bytes
                bytes += batch.count
                try file.write(contentsOf: batch)
            }
        }
        let batch = writer.takeBatch().bytes
        try file.write(contentsOf: batch)
        try file.close()
        print("generate bytes=\(bytes + batch.count) rows=\(rows)")
    }

    /// MySQL/SQLite path: fields -> CSV writer -> sliced, compressed files.
    static func export(rows: Int, configuration: SlicedExport.Configuration) async throws {
        let table = SampleTable()
        let clock = ContinuousClock(), start = clock.now
        let result = try await SlicedExport.write(configuration, logger: Logger(label: "rrr-bench")) { sink in
            var writer = CSVWriter()
            for index in 0..<rows {
                table.append(row: index, to: &writer)
                if writer.bytes.count >= sink.batchSize { try await sink.write(writer.takeBatch()) }
            }
            try await sink.write(writer.takeBatch())
        }
        report("export", result: result, since: start, clock: clock)
    }

    /// PostgreSQL path: a CSV byte stream in 64 KiB chunks -> record splitter -> sliced files.
    static func passthrough(input: String, configuration: SlicedExport.Configuration) async throws {
        guard let file = FileHandle(forReadingAtPath: input) else { throw BenchError("cannot read \(input)") }
        let clock = ContinuousClock(), start = clock.now
        let result = try await SlicedExport.write(configuration, logger: Logger(label: "rrr-bench")) { sink in
            while let chunk = try file.read(upToCount: 64 << 10), !chunk.isEmpty {
                try await sink.write(csvBytes: chunk)
            }
        }
        report("passthrough", result: result, since: start, clock: clock)
    }

    /// Emulator path: (decompress and) read every record of a file, touching each field.
    static func read(input: String, compression: CompressionFormat) async throws {
        guard let file = FileHandle(forReadingAtPath: input) else { throw BenchError("cannot read \(input)") }
        let clock = ContinuousClock(), start = clock.now
        let decompressor = try compression.makeDecompressor()
        var reader = CSVReader()
        var plain: [UInt8] = []
        var rows = 0, bytes = 0, fieldBytes = 0
        func drain() throws {
            while let record = try reader.nextRecord() {
                rows += 1
                for index in 0..<record.count where !record.isNull(index) { fieldBytes &+= record[index].count }
            }
        }
        while let chunk = try file.read(upToCount: 256 << 10), !chunk.isEmpty {
            plain.removeAll(keepingCapacity: true)
            try decompressor.decompress(Array(chunk), into: &plain)
            bytes += plain.count
            reader.feed(plain)
            try drain()
        }
        try decompressor.finish()
        reader.finish()
        try drain()
        report("read", bytes: bytes, rows: rows, since: start, clock: clock, extra: "field_bytes=\(fieldBytes)")
    }

    private static func report(_ name: String, result: ExportResult, since start: ContinuousClock.Instant, clock: ContinuousClock) {
        report(name, bytes: result.rawByteCount, rows: result.rowCount, since: start, clock: clock,
               extra: "compressed=\(result.compressedByteCount) files=\(result.files.count) "
                   + "rows_per_file=\(result.files.map { String($0.rowCount) }.joined(separator: "/"))")
    }

    private static func report(
        _ name: String, bytes: Int, rows: Int, since start: ContinuousClock.Instant, clock: ContinuousClock,
        extra: String = ""
    ) {
        let elapsed = (clock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        let mib = Double(bytes) / 1_048_576
        print("\(name) bytes=\(bytes) rows=\(rows) seconds=\(String(format: "%.3f", seconds)) "
            + "mib_per_s=\(String(format: "%.1f", mib / seconds)) \(extra)")
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
