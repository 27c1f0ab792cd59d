/// The text of `VACUUM`, `ANALYZE` and the sort-key lookup, names always quoted.
struct MaintenanceSQL {
    let dialect = RedshiftDialect()
    /// Schema of the tables.
    let schema: String

    func qualified(_ table: String) -> String { dialect.quoteIdentifier(schema) + "." + dialect.quoteIdentifier(table) }

    /// `VACUUM <variant> "schema"."table" [TO n PERCENT] [BOOST]`; `mode` must not be `auto`.
    /// `REINDEX` never gets `TO n PERCENT` ("The TO threshold PERCENT parameter can't be used with
    /// REINDEX", r_VACUUM_command).
    func vacuum(_ table: String, mode: VacuumMode, toPercent: Int?, boost: Bool) -> String {
        var parts = ["VACUUM"]
        if let keyword = mode.keyword { parts.append(keyword) }
        parts.append(qualified(table))
        if let toPercent, mode.takesThreshold { parts.append("TO \(min(max(toPercent, 0), 100)) PERCENT") }
        if boost { parts.append("BOOST") }
        return parts.joined(separator: " ")
    }

    /// `ANALYZE "schema"."table" [PREDICATE COLUMNS]`.
    func analyze(_ table: String, predicateColumns: Bool) -> String {
        "ANALYZE \(qualified(table))" + (predicateColumns ? " PREDICATE COLUMNS" : "")
    }

    /// `pg_table_def` lists only schemas on the search path, so the session's path is set to the
    /// configured schema first (a fresh session per maintenance run, so nothing leaks).
    var setSearchPath: String { "SET search_path TO \(dialect.quoteIdentifier(schema))" }

    /// `$1` = schema, `$2` = table: every column's `sortkey` position.
    static let sortKeysQuery = """
        SELECT CAST(sortkey AS VARCHAR) FROM pg_table_def WHERE schemaname = $1 AND tablename = $2
        """
}
