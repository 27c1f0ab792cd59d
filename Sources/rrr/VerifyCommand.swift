import ArgumentParser
import Foundation
import RedshiftReplicator

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the source and Redshift in key ranges; with --repair, load the differing ranges again.",
        discussion: """
            Each table's integer key range is split into buckets; per bucket both databases compute in SQL the row \
            count and a checksum of the replicated columns (each value written as rrr exports it). Differing \
            buckets are split again down to --smallest-range keys and reported. --repair exports exactly those \
            ranges and, in one Redshift transaction, deletes them from the target and inserts the exported rows \
            (keys deleted in the source disappear), then compares them again. Exit 1 when differences remain.
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "Tables (configured names; default: every table).") var tables: [String] = []
    @Flag(help: "Load the differing ranges again, then check them once more.") var repair = false
    @Option(help: "Narrow differing ranges down to this many keys.") var smallestRange: Int64 = 1000
    @Option(help: "Stop narrowing once this many ranges differ.") var maxRanges: Int = 1000
    @Flag(help: "Print the outcomes as JSON.") var json = false
    @OptionGroup var lock: WaitOption

    func validate() throws {
        if smallestRange < 1 { throw ValidationError("--smallest-range must be at least 1") }
        if maxRanges < 1 { throw ValidationError("--max-ranges must be at least 1") }
    }

    func run() async throws {
        let verifyOptions = VerifyOptions(repair: repair, smallestRange: smallestRange, maxRanges: maxRanges, wait: lock.wait)
        let outcomes = try await withReplicator(options) { replicator, logger in
            try await replicator.verify(tables: tables.isEmpty ? .all : .named(tables), options: verifyOptions, logger: logger)
        }
        if json { print(try JSONOutput.encode(outcomes.map(VerificationJSON.init))) } else {
            for outcome in outcomes { print(outcome.description) }
        }
        if outcomes.contains(where: { $0.status == .failed || $0.status == .differs }) { throw ExitCode(1) }
        if outcomes.contains(where: { $0.status == .skippedLocked }) { throw ExitCode(3) }
    }
}

/// One table's `rrr verify`, every field present.
struct VerificationJSON: Encodable {
    let outcome: TableVerification
    init(_ outcome: TableVerification) { self.outcome = outcome }

    enum Key: String, CodingKey {
        case table, status, sourceRows, redshiftRows, differences, repairedRows, remaining, error, failureKind, rrrVersion
    }

    struct Range: Encodable {
        let lower: Int64, upper: Int64, sourceRows: Int64, redshiftRows: Int64
        init(_ d: RangeDifference) { lower = d.range.lower; upper = d.range.upper; sourceRows = d.sourceRows; redshiftRows = d.redshiftRows }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(outcome.table, forKey: .table)
        try c.encode(JSONOutput.snakeCase(outcome.status.rawValue), forKey: .status)
        try c.encode(outcome.sourceRows, forKey: .sourceRows); try c.encode(outcome.redshiftRows, forKey: .redshiftRows)
        try c.encode(outcome.differences.map(Range.init), forKey: .differences)
        try c.encode(outcome.repairedRows, forKey: .repairedRows)
        try c.encode(outcome.remaining.map(Range.init), forKey: .remaining)
        try c.encode(outcome.failure.map { "\($0)" }, forKey: .error)
        try c.encode(outcome.failure.map { JSONOutput.snakeCase("\($0.kind)") }, forKey: .failureKind)
        try c.encode(RRRVersion.current, forKey: .rrrVersion)
    }
}
