import Compression
import ExportFiles

// rrr-bench: the measured half of scripts/bench-export (which times the reference tools beside it).
//   rrr-bench writer ROWS
//   rrr-bench generate ROWS PATH
//   rrr-bench export ROWS DIR SLICES none|gzip|zstd
//   rrr-bench passthrough INPUT DIR SLICES none|gzip|zstd
//   rrr-bench read INPUT none|gzip|zstd
// Work runs in nonisolated async functions: hot loops on the main actor are much slower.

func configuration(_ directory: String, _ slices: String, _ compression: String) throws -> SlicedExport.Configuration {
    guard let sliceCount = Int(slices), let format = CompressionFormat(rawValue: compression) else {
        throw BenchError("bad slices \(slices) or compression \(compression)")
    }
    return SlicedExport.Configuration(
        directory: directory, baseName: "bench", sliceCount: sliceCount, compression: format)
}

func run(_ arguments: [String]) async throws {
    switch arguments.first {
    case "writer" where arguments.count == 2:
        await Commands.writer(rows: Int(arguments[1])!)
    case "generate" where arguments.count == 3:
        try await Commands.generate(rows: Int(arguments[1])!, path: arguments[2])
    case "export" where arguments.count == 5:
        try await Commands.export(rows: Int(arguments[1])!, configuration: configuration(arguments[2], arguments[3], arguments[4]))
    case "passthrough" where arguments.count == 5:
        try await Commands.passthrough(input: arguments[1], configuration: configuration(arguments[2], arguments[3], arguments[4]))
    case "read" where arguments.count == 3:
        try await Commands.read(input: arguments[1], compression: CompressionFormat(rawValue: arguments[2])!)
    default:
        throw BenchError("usage: see the comment at the top of Benchmarks/rrr-bench/main.swift")
    }
}

try await run(Array(CommandLine.arguments.dropFirst()))
