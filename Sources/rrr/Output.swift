import Foundation
import RedshiftReplicator

enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

struct OutcomeJSON: Encodable {
    let table: String, status: String, error: String?, record: ReplicationRecord?
    init(_ o: TableOutcome) { table = o.table; status = o.status.rawValue; error = o.error; record = o.record }
}

struct StatusJSON: Encodable {
    let table: String, strategy: String, sourceTable: String, targetTable: String
    let latest: ReplicationRecord?, lastImported: ReplicationRecord?, lagSeconds: Double?
    init(_ s: TableStatus) {
        table = s.table.name; strategy = s.table.strategy.rawValue; sourceTable = s.table.sourceTable
        targetTable = s.table.targetTable; latest = s.latest; lastImported = s.lastImported; lagSeconds = s.lagSeconds
    }
}

enum OutcomeText {
    static func line(_ o: TableOutcome) -> String {
        var text = "\(o.table): \(o.status.rawValue)"
        if let r = o.record {
            text += " #\(r.id) \(r.recordCount ?? 0) rows, upper \(r.upperBound ?? "-")"
            if (r.nullFieldCount ?? 0) > 0 { text += ", \(r.nullFieldCount!) NULL-field rows not replicated" }
            if let deleted = r.deletedCount, deleted > 0 { text += ", \(deleted) deletes propagated" }
            if let nulled = r.nulledValueCount, nulled > 0 { text += ", \(nulled) unloadable values loaded as NULL" }
        }
        if let e = o.error { text += "\n  error: \(e)" }
        return text
    }

    static func statusTable(_ statuses: [TableStatus]) -> String {
        let header = ["TABLE", "STRATEGY", "TARGET", "STATE", "ROWS", "UPPER BOUND", "EXPORT s", "UPLOAD s", "IMPORT s", "LAG", "RETRIES"]
        let rows = statuses.map { s -> [String] in
            let r = s.latest
            return [s.table.name, s.table.strategy.rawValue, s.table.targetTable, r?.state.rawValue ?? "never",
                    r?.recordCount.map(String.init) ?? "-", r?.upperBound ?? "-", seconds(r?.exportDuration),
                    seconds(r?.uploadDuration), seconds(r?.importDuration), lag(s.lagSeconds), r.map { String($0.retries) } ?? "-"]
        }
        var text = table(header, rows)
        for s in statuses { if let e = s.latest?.lastError, s.latest?.state != .imported { text += "\n\(s.table.name): last error: \(e)" } }
        return text
    }

    static func historyTable(_ records: [ReplicationRecord]) -> String {
        let header = ["ID", "STATE", "ROWS", "NULL FIELD", "LOWER", "UPPER", "RETRIES", "CREATED", "KEY"]
        let formatter = ISO8601DateFormatter()
        let rows = records.map { r in
            [String(r.id), r.state.rawValue, r.recordCount.map(String.init) ?? "-", r.nullFieldCount.map(String.init) ?? "-",
             r.lowerBound ?? "-", r.upperBound ?? "-", String(r.retries), formatter.string(from: r.createdAt), r.key]
        }
        var text = table(header, rows)
        for r in records { if let e = r.lastError { text += "\n#\(r.id): \(e)" } }
        return text
    }

    static func seconds(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }

    static func lag(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value < 120 { return "\(Int(value))s" }
        if value < 7200 { return "\(Int(value / 60))m" }
        return "\(Int(value / 3600))h"
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
