/// A statement the emulator carries out itself instead of relaying it to PostgreSQL as is.
enum InterceptedStatement: Sendable {
    /// `COPY t FROM 's3://...'`.
    case copyFromS3(CopyCommand)
    /// `CREATE TABLE` with Redshift attributes (or `LIKE`): stripped, attributes remembered.
    case createTable(CreateTableRewrite)
    /// `ALTER TABLE` forms only Redshift has (keys, encodings), or `ADD COLUMN ... ENCODE`.
    case alterTableAttributes(AlterTableRewrite)
    /// `DROP TABLE` / `DROP SCHEMA`: the dropped tables' attributes leave the catalog.
    case drop(DropCommand)
    /// `TRUNCATE`: commits the open transaction first.
    case truncate(sql: String)
    /// `VACUUM ...`: refused inside a transaction block, logged outside.
    case vacuum(VacuumCommand)
    /// `ANALYZE` rewritten to PostgreSQL's form; nil for `ANALYZE COMPRESSION` (a no-op).
    case analyze(sql: String?)
    /// `ALTER TABLE t APPEND FROM s`.
    case alterTableAppend(AppendCommand)
    /// `MERGE INTO t USING s ON ... REMOVE DUPLICATES`.
    case mergeRemoveDuplicates(MergeRemoveDuplicates)
    /// `SET search_path ...`, `RESET search_path`, `RESET ALL` (psycopg2's `connection.reset()`
    /// sends it): the emulator catalog stays on the path.
    case setSearchPath(sql: String)
    /// `COMMIT` / `END` while a commit fault is configured.
    case commit(sql: String)
    /// `SHOW server_version`: Redshift's version, not PostgreSQL's.
    case showServerVersion
    /// `SET`/`RESET enable_case_sensitive_identifier`: kept by the emulator's session.
    case setCaseSensitiveIdentifier(Bool)
    /// `SHOW enable_case_sensitive_identifier`.
    case showCaseSensitiveIdentifier
    /// A Redshift statement the emulator parsed and found wrong: the error is reported on execution.
    case invalid(PGError)
    /// Ordinary SQL relayed with a different text (e.g. `notnull` quoted in pg_table_def queries).
    case relayed(sql: String)

    /// Columns of the rows the statement returns (empty: none).
    var resultColumns: [String] {
        switch self {
        case .showServerVersion: return ["server_version"]
        case .showCaseSensitiveIdentifier: return ["enable_case_sensitive_identifier"]
        default: return []
        }
    }

    /// Recognizes Redshift-only statements; nil means "relay to PostgreSQL unchanged". Quoted
    /// identifiers are folded to lower case first (``IdentifierCase``) unless the session enabled
    /// case-sensitive identifiers.
    static func classify(_ sql: String, context: EmulatorContext, caseSensitiveIdentifiers: Bool = false) -> InterceptedStatement? {
        let tokens = SQLTokenizer.tokenize(sql)
        if !caseSensitiveIdentifiers, let folded = IdentifierCase.folded(sql, tokens: tokens) {
            return classify(folded, tokens: SQLTokenizer.tokenize(folded), context: context) ?? .relayed(sql: folded)
        }
        return classify(sql, tokens: tokens, context: context)
    }

    private static func classify(_ sql: String, tokens: [SQLToken], context: EmulatorContext) -> InterceptedStatement? {
        if let prefix = SQLTokenizer.escapeStringPrefix(in: tokens) {
            return .invalid(PGError(code: "42704", message: "type \"\(prefix.text.lowercased())\" does not exist"))
        }
        if context.configuration.serverless, let system = tokens.first(where: { $0.kind == .word && isProvisionedOnly($0.text) }) {
            // Redshift Serverless refuses the STL/STV/SVL/SVCS tables (cm_chap_system-tables; as
            // `permission denied for relation stl_insert`, SQLSTATE 42501); the SYS views answer.
            return .invalid(PGError(code: "42501", message: "permission denied for relation \(system.text.lowercased())"))
        }
        guard let first = tokens.first, first.kind == .word else { return nil }
        if let rewritten = catalogRewrites(tokens: tokens, sql: sql) { return .relayed(sql: rewritten) }
        if let rewritten = CatalogCompatibility.rewrite(tokens: tokens, sql: sql) { return .relayed(sql: rewritten) }
        func word(_ index: Int) -> String? {
            index < tokens.count && tokens[index].kind == .word ? tokens[index].text.uppercased() : nil
        }
        switch first.text.uppercased() {
        case "COPY":
            return CopyCommand.classify(tokens: tokens, sql: sql)
        case "CREATE":
            return CreateTableRewrite.classify(tokens: tokens, sql: sql)
        case "ALTER":
            guard word(1) == "TABLE" else { return nil }
            if let append = AppendCommand.classify(tokens: tokens, sql: sql) { return append }
            return AlterTableRewrite.classify(tokens: tokens, sql: sql)
        case "TRUNCATE":
            return .truncate(sql: sql)
        case "DROP":
            return DropCommand.classify(tokens: tokens, sql: sql)
        case "VACUUM":
            return VacuumCommand.classify(tokens: tokens, sql: sql)
        case "ANALYZE":
            return analyze(tokens: tokens, sql: sql)
        case "MERGE":
            return MergeRemoveDuplicates.classify(tokens: tokens, sql: sql)
        case "SET", "SHOW", "RESET":
            if word(1) == "ENABLE_CASE_SENSITIVE_IDENTIFIER" || word(2) == "ENABLE_CASE_SENSITIVE_IDENTIFIER" {
                return caseSensitivitySetting(tokens)
            }
            if word(1) == "STANDARD_CONFORMING_STRINGS" || word(2) == "STANDARD_CONFORMING_STRINGS" {
                // Redshift (PostgreSQL 8.0) has no such setting: literals always take backslash escapes.
                return .invalid(PGError(code: "42704", message: "unrecognized configuration parameter \"standard_conforming_strings\""))
            }
            if first.is("SHOW") { return word(1) == "SERVER_VERSION" && tokens.count == 2 ? .showServerVersion : nil }
            if first.is("RESET") { return word(1) == "SEARCH_PATH" || word(1) == "ALL" ? .setSearchPath(sql: sql) : nil }
            let nameIndex = word(1) == "SESSION" ? 2 : 1
            return word(nameIndex) == "SEARCH_PATH" ? .setSearchPath(sql: sql) : nil
        case "COMMIT", "END":
            return context.configuration.faults.watchesCommits ? .commit(sql: sql) : nil
        default:
            return nil
        }
    }

    /// `SET [SESSION|LOCAL] enable_case_sensitive_identifier {TO | =} {true | false | on | off | DEFAULT}`,
    /// `RESET enable_case_sensitive_identifier`, `SHOW enable_case_sensitive_identifier`: a setting of
    /// the emulator's session (PostgreSQL has no such parameter).
    private static func caseSensitivitySetting(_ tokens: [SQLToken]) -> InterceptedStatement {
        if tokens[0].is("SHOW") { return .showCaseSensitiveIdentifier }
        if tokens[0].is("RESET") { return .setCaseSensitiveIdentifier(false) }
        let value = tokens.last.map { $0.text.lowercased() } ?? ""
        switch value {
        case "true", "on", "1", "yes": return .setCaseSensitiveIdentifier(true)
        case "false", "off", "0", "no", "default": return .setCaseSensitiveIdentifier(false)
        default:
            return .invalid(PGError(code: "22023", message: "parameter \"enable_case_sensitive_identifier\" requires a Boolean value"))
        }
    }

    private static func isProvisionedOnly(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["stl_", "stv_", "svl_", "svcs_"].contains { lower.hasPrefix($0) }
    }

    /// Catalog queries as Redshift answers them: `pg_table_def.notnull` may go unquoted (PostgreSQL
    /// reads a bare `notnull` as an operator), and `information_schema.columns` reads the
    /// emulator's view of it (identity defaults and VARBYTE as Redshift shows them).
    private static func catalogRewrites(tokens: [SQLToken], sql: String) -> String? {
        var rewriter = SQLRewriter(sql: sql)
        var changed = false
        if tokens.contains(where: { $0.is("PG_TABLE_DEF") }) {
            for token in tokens where token.is("NOTNULL") {
                rewriter.replace(token.range, with: "\"notnull\"")
                changed = true
            }
        }
        func named(_ token: SQLToken, _ name: String) -> Bool {
            (token.kind == .word || token.kind == .quotedIdentifier) && token.text.lowercased() == name
        }
        for index in tokens.indices.dropLast(2)
        where named(tokens[index], "information_schema") && tokens[index + 1].isSymbol(".") && named(tokens[index + 2], "columns") {
            rewriter.replace(tokens[index].range.lowerBound..<tokens[index + 2].range.upperBound, with: "rrr_emulator.information_schema_columns")
            changed = true
        }
        return changed ? rewriter.result : nil
    }

    /// `ANALYZE COMPRESSION` is a no-op; `PREDICATE COLUMNS` / `ALL COLUMNS` are dropped.
    private static func analyze(tokens: [SQLToken], sql: String) -> InterceptedStatement? {
        if tokens.count > 1 && tokens[1].is("COMPRESSION") { return .analyze(sql: nil) }
        guard let index = tokens.firstIndex(where: { $0.is("PREDICATE") || $0.is("ALL") }),
              index + 1 < tokens.count, tokens[index + 1].is("COLUMNS")
        else { return nil }
        return .analyze(sql: SQLRewriter(sql: sql).removing(tokens[index].range.lowerBound..<tokens[index + 1].range.upperBound))
    }
}

/// Builds a new statement from an old one by cutting or replacing byte ranges.
struct SQLRewriter {
    private let bytes: [UInt8]
    private var edits: [(range: Range<Int>, replacement: String)] = []

    init(sql: String) {
        self.bytes = Array(sql.utf8)
    }

    mutating func replace(_ range: Range<Int>, with replacement: String) {
        edits.append((range, replacement))
    }

    mutating func remove(_ range: Range<Int>) {
        replace(range, with: " ")
    }

    func removing(_ range: Range<Int>) -> String {
        var copy = self
        copy.remove(range)
        return copy.result
    }

    var result: String {
        var output: [UInt8] = []
        var position = 0
        for edit in edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) where edit.range.lowerBound >= position {
            output += bytes[position..<edit.range.lowerBound]
            output += Array(edit.replacement.utf8)
            position = edit.range.upperBound
        }
        output += bytes[position...]
        return String(decoding: output, as: UTF8.self)
    }
}
