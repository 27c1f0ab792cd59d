import Foundation
import Logging
import SQLiteClient
import RedshiftCSV
import SourceSupport

/// A fresh directory per test, removed afterwards.
struct TemporaryDirectory: ~Copyable {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "rrr-sqlite-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Collects an export's batches and reads them back with RedshiftCSV's reader.
actor CollectingSink {
    private(set) var bytes: [UInt8] = []
    private(set) var recordCount = 0

    func receive(_ batch: CSVRecordBatch) {
        bytes += batch.bytes
        recordCount += batch.recordCount
    }

    func rows() throws -> [[String?]] { try CSVReader.records(in: bytes).map(\.strings) }
}

extension SQLiteDatabase {
    func exportCollecting(
        table: String, columns: [ExportColumn], whereClause: String? = nil, bindings: [SQLiteValue] = []
    ) async throws -> (ExportSummary, [[String?]]) {
        let sink = CollectingSink()
        let summary = try await export(
            table: table, columns: columns, whereClause: whereClause, bindings: bindings,
            logger: Logger(label: "test"), into: { try await sink.receive($0) })
        return (summary, try await sink.rows())
    }
}

/// Runs the `sqlite3` command-line shell on `database` with `sql` on stdin: a second process.
func runSQLiteShell(_ database: String, _ sql: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = ["-bail", database]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = output
    try process.run()
    input.fileHandleForWriting.write(Data(sql.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
