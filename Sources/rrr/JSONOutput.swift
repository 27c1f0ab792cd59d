import Foundation
import RedshiftReplicator

/// `--json` output (schema in the README, "JSON output"): every field present, `null` when it has
/// no value; slashes unescaped; times ISO 8601 UTC; durations and lags in seconds to the millisecond;
/// each object carries `rrrVersion`.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// `loadRejected` -> `load_rejected`.
    static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { text, character in
            if character.isUppercase { text += "_" + character.lowercased() } else { text.append(character) }
        }
    }

    /// Seconds rounded to the millisecond.
    static func seconds(_ value: Double?) -> Double? { value.map { ($0 * 1000).rounded() / 1000 } }
}

/// A history record with every field, `null` included.
struct RecordJSON: Encodable {
    let record: ReplicationRecord

    enum Key: String, CodingKey {
        case id, replicationType, key, state, lowerBound, upperBound, recordCount, nullFieldCount, retries, lastError
        case sourceTable, targetTable, slices, exportFormat, exportDuration, uploadDuration, importDuration
        case createdAt, updatedAt, deletedCount, nulledValueCount, replicationField, keyColumns, rrrVersion, rejectedCount
    }

    func encode(to encoder: any Encoder) throws {
        let r = record
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(r.id, forKey: .id); try c.encode(r.replicationType.rawValue, forKey: .replicationType)
        try c.encode(r.key, forKey: .key); try c.encode(r.state.rawValue, forKey: .state)
        try c.encode(r.lowerBound, forKey: .lowerBound); try c.encode(r.upperBound, forKey: .upperBound)
        try c.encode(r.recordCount, forKey: .recordCount); try c.encode(r.nullFieldCount, forKey: .nullFieldCount)
        try c.encode(r.retries, forKey: .retries); try c.encode(r.lastError, forKey: .lastError)
        try c.encode(r.sourceTable, forKey: .sourceTable); try c.encode(r.targetTable, forKey: .targetTable)
        try c.encode(r.slices, forKey: .slices); try c.encode(r.exportFormat.rawValue, forKey: .exportFormat)
        try c.encode(JSONOutput.seconds(r.exportDuration), forKey: .exportDuration)
        try c.encode(JSONOutput.seconds(r.uploadDuration), forKey: .uploadDuration)
        try c.encode(JSONOutput.seconds(r.importDuration), forKey: .importDuration)
        try c.encode(r.createdAt, forKey: .createdAt); try c.encode(r.updatedAt, forKey: .updatedAt)
        try c.encode(r.deletedCount, forKey: .deletedCount); try c.encode(r.nulledValueCount, forKey: .nulledValueCount)
        try c.encode(r.replicationField, forKey: .replicationField); try c.encode(r.keyColumns, forKey: .keyColumns)
        try c.encode(r.rrrVersion, forKey: .rrrVersion); try c.encode(r.rejectedCount, forKey: .rejectedCount)
    }
}

/// One table's outcome of `replicate`, `export`, `import`.
struct OutcomeJSON: Encodable {
    let outcome: TableOutcome

    enum Key: String, CodingKey { case table, status, error, failureKind, record, rrrVersion }

    init(_ outcome: TableOutcome) { self.outcome = outcome }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(outcome.table, forKey: .table)
        try c.encode(outcome.status.token, forKey: .status)
        try c.encode(outcome.error, forKey: .error)
        try c.encode(outcome.failure.map { JSONOutput.snakeCase("\($0.kind)") }, forKey: .failureKind)
        try c.encode(outcome.record.map(RecordJSON.init), forKey: .record)
        try c.encode(RRRVersion.current, forKey: .rrrVersion)
    }
}

/// One table's `rrr status`.
struct StatusJSON: Encodable {
    let status: TableStatus

    enum Key: String, CodingKey {
        case table, strategy, sourceTable, targetTable, state, healthy, cause, advice, retries, maxRetries
        case lagSeconds, maxLagSeconds, latest, lastImported, rrrVersion, rejectedRows
    }

    init(_ status: TableStatus) { self.status = status }

    func encode(to encoder: any Encoder) throws {
        let s = status
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(s.table.name, forKey: .table); try c.encode(s.table.strategy.rawValue, forKey: .strategy)
        try c.encode(s.table.sourceTable, forKey: .sourceTable); try c.encode(s.table.targetTable, forKey: .targetTable)
        try c.encode(s.state.rawValue, forKey: .state); try c.encode(!s.isUnhealthy, forKey: .healthy)
        try c.encode(s.cause, forKey: .cause); try c.encode(s.advice, forKey: .advice)
        try c.encode(s.latest?.retries, forKey: .retries); try c.encode(s.maxRetries, forKey: .maxRetries)
        try c.encode(JSONOutput.seconds(s.lagSeconds), forKey: .lagSeconds); try c.encode(s.maxLagSeconds, forKey: .maxLagSeconds)
        try c.encode(s.latest.map(RecordJSON.init), forKey: .latest)
        try c.encode(s.lastImported.map(RecordJSON.init), forKey: .lastImported)
        try c.encode(s.rejectedRows, forKey: .rejectedRows)
        try c.encode(RRRVersion.current, forKey: .rrrVersion)
    }
}
