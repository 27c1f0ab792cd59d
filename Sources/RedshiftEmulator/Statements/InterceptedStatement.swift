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
    /// A Redshift statement the emulator parsed and found wrong: the error is reported on execution.
    case invalid(PGError)
    /// Ordinary SQL relayed with a different text (e.g. `notnull` quoted in pg_table_def queries).
    case relayed(sql: String)

    /// Columns of the rows the statement returns (empty: none).
    var resultColumns: [String] {
        switch self {
        case .showServerVersion: return ["server_version"]
        default: return []
        }
    }

    /// Recognizes Redshift-only statements; nil means "relay to PostgreSQL unchanged".
    static func classify(_ sql: String, context: EmulatorContext) -> InterceptedStatement? {
        let tokens = SQLTokenizer.tokenize(sql)
        guard let first = tokens.first, first.kind == .word else { return nil }
        if let rewritten = quoteCatalogColumns(tokens: tokens, sql: sql) { return .relayed(sql: rewritten) }
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
        case "SET":
            let nameIndex = word(1) == "SESSION" ? 2 : 1
            return word(nameIndex) == "SEARCH_PATH" ? .setSearchPath(sql: sql) : nil
        case "RESET":
            return word(1) == "SEARCH_PATH" || word(1) == "ALL" ? .setSearchPath(sql: sql) : nil
        case "COMMIT", "END":
            return context.configuration.faults.dropConnectionAtCommitNumber == nil ? nil : .commit(sql: sql)
        case "SHOW":
            return word(1) == "SERVER_VERSION" && tokens.count == 2 ? .showServerVersion : nil
        default:
            return nil
        }
    }

    /// Redshift lets `pg_table_def.notnull` go unquoted; PostgreSQL reads a bare `notnull` as an operator.
    private static func quoteCatalogColumns(tokens: [SQLToken], sql: String) -> String? {
        guard tokens.contains(where: { $0.is("PG_TABLE_DEF") }) else { return nil }
        var rewriter = SQLRewriter(sql: sql)
        var changed = false
        for token in tokens where token.is("NOTNULL") {
            rewriter.replace(token.range, with: "\"notnull\"")
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
