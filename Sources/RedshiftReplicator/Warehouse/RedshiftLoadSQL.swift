import Foundation

/// A COPY statement and the same statement with its credentials replaced, for logs.
public struct CopyStatement: Sendable, Hashable, CustomStringConvertible {
    /// The statement sent to Redshift (contains credentials).
    let sql: String
    /// The statement as logged: ACCESS_KEY_ID / SECRET_ACCESS_KEY / SESSION_TOKEN values are `********`.
    public let redacted: String
    /// The redacted statement.
    public var description: String { redacted }
}

/// What one load does, independent of the connection: every statement of the load transaction.
struct RedshiftLoadSQL {
    let dialect = RedshiftDialect()
    /// Schema of the target and the ledger.
    let schema: String
    /// Target table name (unqualified).
    let target: String
    /// Unique per replication (a temp table, dropped after the load).
    let stage: String
    /// Columns in Redshift order.
    let columns: [String]
    /// The schema of the ledger, as configured (`rrr install` creates it there); default `schema`.
    var ledgerSchema: String? = nil

    var qualifiedTarget: String { dialect.quoteIdentifier(schema) + "." + dialect.quoteIdentifier(target) }
    var quotedStage: String { dialect.quoteIdentifier(stage) }
    var ledger: String { dialect.quoteIdentifier(ledgerSchema ?? schema) + "." + dialect.quoteIdentifier(Self.ledgerTable) }

    static let ledgerTable = "rrr_load_ledger"

    /// A stage table name unique to the replication key, within Redshift's 127-byte limit.
    static func stageName(target: String, key: String) -> String {
        let suffix = String(key.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }.suffix(24).map(Character.init))
        return "rrr_stage_" + String(target.prefix(80)) + "_" + suffix.lowercased()
    }

    var createStage: String { "CREATE TEMP TABLE \(quotedStage) (LIKE \(qualifiedTarget))" }
    var dropStage: String { "DROP TABLE IF EXISTS \(quotedStage)" }

    /// `COPY stage (cols) FROM 's3://.../manifest' MANIFEST FORMAT AS CSV NULL AS '...' ...`.
    func copy(manifestURL: String, format: ExportFormat, nullMarker: String, maxErrors: Int, region: String,
              credentials: RedshiftCredentials, options: String) -> CopyStatement {
        func build(redacted: Bool) -> String {
            var parts = [
                "COPY \(quotedStage) (\(columns.map(dialect.quoteIdentifier).joined(separator: ", ")))",
                "FROM \(dialect.quoteLiteral(manifestURL)) MANIFEST",
                credentials.clause(dialect: dialect, redacted: redacted),
                "REGION \(dialect.quoteLiteral(region))",
                "FORMAT AS CSV NULL AS \(dialect.quoteLiteral(nullMarker))",
            ]
            switch format {
            case .csv: break
            case .gzip: parts.append("GZIP")
            case .zstd: parts.append("ZSTD")
            }
            parts.append("MAXERROR \(maxErrors)")
            let trimmed = options.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { parts.append(redacted ? Self.redact(trimmed) : trimmed) }
            return parts.joined(separator: " ")
        }
        return CopyStatement(sql: build(redacted: false), redacted: build(redacted: true))
    }

    /// The merge statements for `strategy`, run in the load transaction after the COPY.
    /// `lower` is the export's exclusive lower bound (identity de-duplicates only above it), bound
    /// as a parameter. Keys in `varcharKeys` also compare their byte lengths: Redshift ignores
    /// trailing blanks when it compares VARCHAR values (r_Character_types), so `'a'` and `'a '`
    /// would match each other's rows; the key equality stays, so the join is still on the key.
    func merge(strategy: ReplicationStrategy, keys: [String], field: String?, lower: String?, varcharKeys: Set<String> = []) -> [RedshiftStatement] {
        func match(_ left: String, _ right: String) -> [String] {
            keys.flatMap { key -> [String] in
                let l = "\(left).\(dialect.quoteIdentifier(key))", r = "\(right).\(dialect.quoteIdentifier(key))"
                return varcharKeys.contains(key) ? ["\(l) = \(r)", "OCTET_LENGTH(\(l)) = OCTET_LENGTH(\(r))"] : ["\(l) = \(r)"]
            }
        }
        let matches = match(qualifiedTarget, quotedStage)
        switch strategy {
        case .full:
            return [RedshiftStatement("DELETE FROM \(qualifiedTarget)"), RedshiftStatement("INSERT INTO \(qualifiedTarget) SELECT * FROM \(quotedStage)")]
        case .timed:
            return [
                RedshiftStatement("DELETE FROM \(qualifiedTarget) USING \(quotedStage) WHERE \(matches.joined(separator: " AND "))"),
                RedshiftStatement("INSERT INTO \(qualifiedTarget) SELECT * FROM \(quotedStage)"),
            ]
        case .identity:
            var conditions = match("t", "s")
            var values: [String] = []
            if let field, let lower {
                conditions.append("t.\(dialect.quoteIdentifier(field)) >= $1")
                values.append(lower)
            }
            return [RedshiftStatement("""
                INSERT INTO \(qualifiedTarget) SELECT s.* FROM \(quotedStage) s WHERE NOT EXISTS \
                (SELECT 1 FROM \(qualifiedTarget) t WHERE \(conditions.joined(separator: " AND ")))
                """, values: values)]
        }
    }

    /// Creates the ledger (idempotent).
    var createLedger: String {
        """
        CREATE TABLE IF NOT EXISTS \(ledger) (replication_key VARCHAR(512) NOT NULL, source_table VARCHAR(512), \
        target_table VARCHAR(512), record_count BIGINT, loaded_at TIMESTAMP)
        """
    }

    /// Values: $1 key, $2 source table, $3 target table, $4 record count, $5 UTC time (text).
    var insertLedger: String {
        "INSERT INTO \(ledger) (replication_key, source_table, target_table, record_count, loaded_at) VALUES ($1, $2, $3, CAST($4 AS BIGINT), CAST($5 AS TIMESTAMP))"
    }

    var ledgerLookup: String { "SELECT replication_key FROM \(ledger) WHERE replication_key = $1" }

    /// Replaces the values of credential clauses in free-form COPY options.
    /// A literal may hold `''` and, Redshift's literals taking backslash escapes, `\'`.
    static func redact(_ text: String) -> String {
        let pattern = #"(?i)\b(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|CREDENTIALS|MASTER_SYMMETRIC_KEY)(\s+(AS\s+)?)'(?:[^'\\]|''|\\.)*'"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return "********" }
        let range = NSRange(text.startIndex..., in: text)
        return regex.stringByReplacingMatches(in: text, range: range, withTemplate: "$1$2'********'")
    }
}
