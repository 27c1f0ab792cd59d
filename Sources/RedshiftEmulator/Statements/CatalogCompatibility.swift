/// Catalog queries that clients send to a server reporting version 8.0.2 and that a PostgreSQL 15
/// backend cannot answer as written.
///
/// - psql 15 describes tables of servers older than 12 with `pg_class.relhasoids` (`\d table`),
///   a column PostgreSQL 12 removed; Redshift, being 8.0-based, still has it (always false there).
/// - psql hides system schemas from `\d`, `\dt`, `\dn` with `n.nspname <> 'information_schema'`;
///   on Redshift the system tables live in `pg_catalog`, so the emulator's own schema is hidden the
///   same way (with the schema of its VARCHAR comparison).
enum CatalogCompatibility {
    /// The rewritten statement, or nil when nothing in it needs rewriting.
    static func rewrite(tokens: [SQLToken], sql: String) -> String? {
        var rewriter = SQLRewriter(sql: sql)
        var changed = false
        for (index, token) in tokens.enumerated() {
            if token.is("RELHASOIDS"), index >= 2, tokens[index - 1].isSymbol("."),
               tokens[index - 2].kind == .word || tokens[index - 2].kind == .quotedIdentifier {
                rewriter.replace(tokens[index - 2].range.lowerBound..<token.range.upperBound, with: "false")
                changed = true
            }
            // `<>` arrives as two one-character symbols.
            if token.kind == .string, token.text == "information_schema", index >= 5,
               tokens[index - 1].isSymbol(">"), tokens[index - 2].isSymbol("<"), tokens[index - 3].is("NSPNAME"),
               tokens[index - 4].isSymbol("."), tokens[index - 5].kind == .word {
                let column = TableName.slice(sql, tokens[index - 5].range.lowerBound..<tokens[index - 3].range.upperBound)
                rewriter.replace(token.range, with: "'information_schema' AND \(column) <> '\(EmulatorCatalog.schema)' AND \(column) <> '\(EmulatorCatalog.varcharComparisonSchema)'")
                changed = true
            }
        }
        return changed ? rewriter.result : nil
    }
}
