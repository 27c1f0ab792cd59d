import Foundation
import RedshiftReplicator

extension TableOutcome.Status {
    /// The outcome in words, for the table lines and `--json` (`up to date`, not `upToDate`).
    var words: String {
        switch self {
        case .imported: return "imported"
        case .exported: return "exported"
        case .upToDate: return "up to date"
        case .nothingToImport: return "nothing to import"
        case .skippedLocked: return "skipped (another rrr process holds the table's lock)"
        case .replicatedElsewhere: return "skipped (another rrr process replicated it during this run)"
        case .failed: return "failed"
        }
    }

    /// The outcome as a stable token for `--json`.
    var token: String {
        switch self {
        case .upToDate: return "up_to_date"
        case .nothingToImport: return "nothing_to_import"
        case .skippedLocked: return "skipped_locked"
        case .replicatedElsewhere: return "replicated_elsewhere"
        default: return words
        }
    }
}

enum OutcomeText {
    static func line(_ o: TableOutcome) -> String {
        var text = "\(o.table): \(o.status.words)"
        if let r = o.record {
            text += " #\(r.id) \(r.recordCount ?? 0) rows, upper \(r.upperBound ?? "-")"
            if (r.nullFieldCount ?? 0) > 0 { text += ", \(r.nullFieldCount!) NULL-field rows not replicated" }
            if let deleted = r.deletedCount, deleted > 0 { text += ", \(deleted) deletes propagated" }
            if let nulled = r.nulledValueCount, nulled > 0 { text += ", \(nulled) values Redshift cannot hold loaded as NULL or truncated" }
            if let rejected = r.rejectedCount, rejected > 0 { text += ", \(rejected) rows rejected by COPY (not loaded)" }
        }
        // One line per table: a multi-line error is folded onto it.
        if let e = o.error { text += ": " + e.split(whereSeparator: \.isNewline).joined(separator: " | ") }
        return text
    }

    static func statusTable(_ statuses: [TableStatus]) -> String {
        let header = ["TABLE", "STRATEGY", "TARGET", "STATE", "ROWS", "UPPER BOUND", "EXPORT s", "UPLOAD s", "IMPORT s", "LAG", "RETRIES"]
        let rows = statuses.map { s -> [String] in
            let r = s.latest
            var state = s.state.rawValue
            if let r, s.state == .failed || s.state == .interrupted || s.state == .running { state += " (\(r.state.rawValue))" }
            if s.lagExceeded { state += ", lag > max_lag" }
            return [s.table.name, s.table.strategy.rawValue, s.table.targetTable, state,
                    r?.recordCount.map(String.init) ?? "-", r?.upperBound ?? "-", seconds(r?.exportDuration),
                    seconds(r?.uploadDuration), seconds(r?.importDuration), lag(s.lagSeconds), r.map { String($0.retries) } ?? "-"]
        }
        var text = table(header, rows)
        for s in statuses {
            if let cause = s.cause { text += "\n\(s.table.name): \(s.state.rawValue): \(cause)" }
            if let advice = s.advice { text += "\n\(s.table.name): \(advice)" }
            if let rejected = s.rejectedRows, let id = s.lastImported?.id {
                text += "\n\(s.table.name): replication #\(id) skipped \(rejected) row(s) COPY rejected (max_copy_errors); "
                    + "they are missing in Redshift until they change in the source (`rrr history \(s.table.name)`, the log's warning names them)"
            }
        }
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
