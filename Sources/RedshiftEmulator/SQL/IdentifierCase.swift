/// Redshift folds identifiers to lower case, quoted ones too: "ASCII letters in standard and
/// delimited identifiers are case-insensitive and are folded to lowercase in the database"
/// (r_names), unless the session sets `enable_case_sensitive_identifier`
/// (r_enable_case_sensitive_identifier). PostgreSQL folds unquoted ones only, so the emulator
/// lower-cases the ASCII letters of every quoted identifier before PostgreSQL reads the statement.
enum IdentifierCase {
    /// `sql` with its quoted identifiers folded; nil when nothing changes.
    static func folded(_ sql: String, tokens: [SQLToken]) -> String? {
        var rewriter = SQLRewriter(sql: sql)
        var changed = false
        for token in tokens where token.kind == .quotedIdentifier && token.text.utf8.contains(where: isUpperASCII) {
            rewriter.replace(token.range, with: SQLText.identifier(fold(token.text)))
            changed = true
        }
        return changed ? rewriter.result : nil
    }

    /// ASCII letters lower-cased, anything else kept (multibyte letters are not folded).
    static func fold(_ name: String) -> String {
        String(decoding: name.utf8.map { isUpperASCII($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }

    private static func isUpperASCII(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
}
