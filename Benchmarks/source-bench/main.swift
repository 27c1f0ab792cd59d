// Exports one table as Redshift CSV to stdout, for scripts/bench-sources (which pipes it to gzip -1
// next to the mariadb and sqlite3 command-line clients). Statistics go to stderr.
//
//   source-bench mysql  <table> <column>[:boolean|:date|:timestamp|:varbyte] ...   (URL in RRR_TEST_MYSQL_URL)
//   source-bench sqlite <database file> <table> <column>[:target] ...
#if canImport(Glibc)
import Glibc
#endif
import AsyncSupport
import Logging
import MySQLClient
import SQLiteClient
import RedshiftCSV
import SourceSupport

/// Writes a whole batch to stdout (a pipe), retrying partial writes.
@Sendable func writeOut(_ batch: CSVRecordBatch) throws {
    try batch.bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw BenchError("write to stdout failed: errno \(errno)")
            }
            offset += written
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func columns(_ arguments: ArraySlice<String>) throws -> [ExportColumn] {
    try arguments.map { argument in
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return ExportColumn(parts[0]) }
        guard let target = RedshiftTarget(rawValue: parts[1]) else { throw BenchError("unknown target \(parts[1])") }
        return ExportColumn(parts[0], target: target)
    }
}

/// Exports through a bounded channel to a writer (the caller), as the engine hands batches to its
/// compressing writer; off the main actor (the export itself runs on the connection's own thread).
@concurrent func run(_ arguments: [String]) async throws -> ExportSummary {
    let producer: @Sendable (BoundedChannel<CSVRecordBatch>) async throws -> ExportSummary = { channel in
        try await export(arguments) { try await channel.send($0) }
    }
    let summaries = try await BoundedChannel.pump(capacity: 4, producers: [producer], consume: writeOut)
    return summaries[0]
}

func export(_ arguments: [String], into sink: @escaping RecordBatchSink) async throws -> ExportSummary {
    let logger = Logger(label: "source-bench")
    switch arguments.first {
    case "mysql" where arguments.count >= 3:
        guard let url = getenv("RRR_TEST_MYSQL_URL").map({ String(cString: $0) }) else {
            throw BenchError("RRR_TEST_MYSQL_URL is not set")
        }
        let connection = try await MySQLConnection.connect(MySQLConfiguration(url: url), logger: logger)
        return try await connection.export(
            table: arguments[1], columns: try columns(arguments[2...]), logger: logger, into: sink)
    case "sqlite" where arguments.count >= 4:
        let database = try await SQLiteDatabase.open(path: arguments[1], logger: logger)
        return try await database.export(
            table: arguments[2], columns: try columns(arguments[3...]), logger: logger, into: sink)
    default:
        throw BenchError("usage: source-bench mysql <table> <columns...> | sqlite <file> <table> <columns...>")
    }
}

func report(_ text: String) {
    var line = "source-bench: \(text)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

do {
    let summary = try await run(Array(CommandLine.arguments.dropFirst()))
    report("\(summary)")
} catch {
    report("\(error)")
    exit(1)
}
