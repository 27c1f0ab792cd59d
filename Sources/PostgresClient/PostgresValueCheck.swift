import SourceSupport

/// A column's limit checked inside the export's `COPY (SELECT ...)`: the server writes the CSV, so
/// the check is SQL too, `CASE WHEN <fails> THEN <replacement> ELSE <value> END`, costing one cheap
/// comparison per value of a limited column (`octet_length` reads a text's stored length).
///
/// `invalid_values: fail` makes the replacement an error: PostgreSQL has no function that raises
/// one from plain SQL, so it casts a text naming the column, the problem and the row's key to
/// integer, which fails with that text in its message (the cast depends on the row, so the planner
/// cannot evaluate it early); ``LibpqConnection/export`` turns that message into ``InvalidValue``.
struct PostgresValueCheck {
    /// SQL, true when the value fails the limit.
    var condition: String
    /// SQL text naming the problem: `long:<bytes>`, `inf:<value>` or `range`.
    var problem: String
    /// SQL for the value cut to the column's width (text), when a cut can fix it.
    var truncated: String?

    static let marker = "rrr-invalid-value:"

    /// The check of `column` (exported as `plain`) against `limit`; `nil` when the column's type
    /// cannot break the limit (or rrr does not check that pairing).
    static func make(_ column: PostgresColumnInfo, name: String, plain: String, limit: ValueLimit) -> PostgresValueCheck? {
        let type = column.baseTypeName
        switch limit {
        case .characterBytes(let n):
            // CHAR(n) sources are fixed-width already, and a cast to text would drop their padding.
            guard type != "bytea", type != "bpchar", plain == name else { return nil }
            let text = "CAST(\(name) AS text)"
            // The longest prefix of at most n bytes ending on a character boundary: byte n (0-based)
            // starts a character unless it is a continuation byte (10xxxxxx); step back over them.
            let bytes = "convert_to(\(text), 'UTF8')"
            let keep = (0...2).map { "WHEN get_byte(\(bytes), \(n - $0)) & 192 <> 128 THEN \(n - $0)" }.joined(separator: " ")
            return PostgresValueCheck(
                condition: "octet_length(\(text)) > \(n)", problem: "'long:' || octet_length(\(text))",
                truncated: "convert_from(substring(\(bytes) FROM 1 FOR (CASE \(keep) ELSE \(n - 3) END)), 'UTF8')")
        case .binaryBytes(let n):
            guard type == "bytea" else { return nil }
            return PostgresValueCheck(
                condition: "octet_length(\(name)) > \(n)", problem: "'long:' || octet_length(\(name))",
                truncated: "encode(substring(\(name) FROM 1 FOR \(n)), 'hex')")
        case .dateTime:
            guard ["timestamp", "timestamptz", "date"].contains(type) else { return nil }
            // PostgreSQL's timestamps span Redshift's range (4713 BC to 294276 AD); its dates reach
            // 5874897 AD.
            let range = type == "date" ? " OR \(name) > DATE '294276-12-31'" : ""
            return PostgresValueCheck(
                condition: "NOT isfinite(\(name))\(range)",
                problem: "CASE WHEN isfinite(\(name)) THEN 'range' ELSE 'inf:' || CAST(\(name) AS text) END")
        case .numeric(let precision, let scale):
            let isFloat = ["float4", "float8"].contains(type)
            guard isFloat || ["numeric", "int2", "int4", "int8"].contains(type), precision - scale < 300 else { return nil }
            // NaN sorts above every number in PostgreSQL (numeric and float alike), so one comparison
            // finds NaN, infinity and too many integer digits.
            let bound = "CAST('1e\(max(0, precision - scale))' AS \(isFloat ? "double precision" : "numeric"))"
            return PostgresValueCheck(
                condition: "abs(\(name)) >= \(bound)",
                problem: "CASE WHEN CAST(\(name) AS text) IN ('NaN', 'Infinity', '-Infinity') THEN 'inf:' || CAST(\(name) AS text) ELSE 'range' END")
        }
    }

    /// The select expression: the value, or what `column`'s policy makes of a failing one.
    func expression(plain: String, column: ExportColumn, index: Int, rowKey: String) -> String {
        let fail = { (policy: InvalidValuePolicy) in
            "CAST(CAST('\(Self.marker)\(index):\(policy.rawValue):' || \(problem) || chr(30) || \(rowKey) AS integer) AS text)"
        }
        let nullOrFail = column.targetIsNullable ? "NULL" : fail(column.invalidValues)
        let replacement: String = switch column.invalidValues {
        case .fail: fail(.fail)
        case .null: nullOrFail
        case .truncate: truncated.map { "CASE WHEN \(problem) LIKE 'long:%' THEN \($0) ELSE \(nullOrFail) END" } ?? nullOrFail
        }
        return "CASE WHEN \(condition) THEN \(replacement) ELSE CAST(\(plain) AS text) END"
    }

    /// The row's key as SQL text: each key column's text (at most 100 characters) joined by 0x1F.
    static func rowKey(_ names: [String]) -> String {
        let parts = names.map { "coalesce(left(CAST(\($0) AS text), 100), 'NULL')" }
        return parts.count == 1 ? parts[0] : "concat_ws(chr(31), \(parts.joined(separator: ", ")))"
    }

    /// The ``InvalidValue`` a failed export's message names, if it is one of these checks'.
    static func invalidValue(in message: String, table: String, columns: [ExportColumn], keyNames: [String]) -> InvalidValue? {
        // The cast's error quotes its input: `invalid input syntax for type integer: "<text>"`,
        // followed by the statement (which holds the marker too) after ` (on `.
        guard let start = message.firstRange(of: "integer: \"" + marker) else { return nil }
        var rest = message[start.upperBound...]
        let ends = ["\" (on ", "\"\n"].compactMap { rest.firstRange(of: $0)?.lowerBound }
        if let end = ends.min() { rest = rest[..<end] } else if rest.last == "\"" { rest = rest.dropLast() }
        let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let index = Int(parts[0]), columns.indices.contains(index),
              let policy = InvalidValuePolicy(rawValue: String(parts[1])) else { return nil }
        let pieces = parts[2].split(separator: "\u{1E}", maxSplits: 1, omittingEmptySubsequences: false)
        let code = pieces[0]
        let keys = pieces.count > 1 ? pieces[1].split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init) : []
        let column = columns[index]
        let problem: InvalidValueProblem
        if code.hasPrefix("long:"), let bytes = Int(code.dropFirst(5)) {
            let limit: Int = switch column.limit { case .characterBytes(let n)?, .binaryBytes(let n)?: n; default: 0 }
            problem = .tooLong(bytes: bytes, limit: limit)
        } else if code.hasPrefix("inf:") {
            problem = .notFinite(String(code.dropFirst(4).prefix(20)))
        } else if case .numeric(let p, let s)? = column.limit {
            problem = .outOfRange("with more than \(p - s) digit(s) before the decimal point")
        } else {
            problem = .outOfRange("after 294276 AD")
        }
        return InvalidValue(table: table, column: column.name, row: Array(zip(keyNames, keys)), problem: problem,
                            limit: column.limit, policy: policy)
    }

    /// The replaced values an export with `null`/`truncate` checks made, counted in the same
    /// snapshot: `SELECT count(*) FILTER (WHERE <fails>), ...` (one more scan of the range, only
    /// for tables that chose to replace values).
    static func countQuery(table: String, checks: [(index: Int, check: PostgresValueCheck)], whereClause: String?) -> String {
        let counts = checks.map { "count(*) FILTER (WHERE \($0.check.condition))" }.joined(separator: ", ")
        let truncations = checks.map { entry in
            entry.check.truncated == nil ? "0" : "count(*) FILTER (WHERE \(entry.check.condition) AND \(entry.check.problem) LIKE 'long:%')"
        }.joined(separator: ", ")
        return "SELECT \(counts), \(truncations) FROM \(table)" + (whereClause.map { " WHERE \($0)" } ?? "")
    }
}
