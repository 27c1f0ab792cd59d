/// `MERGE INTO target [alias] USING source [alias] ON condition REMOVE DUPLICATES`: Redshift's
/// simplified merge, carried out as delete-matching-then-insert-all in one transaction.
struct MergeRemoveDuplicates: Sendable, Equatable {
    var deleteSQL: String
    var insertSQL: String

    static func classify(tokens: [SQLToken], sql: String) -> InterceptedStatement? {
        guard tokens.count > 4, tokens.last!.is("DUPLICATES"), tokens[tokens.count - 2].is("REMOVE") else { return nil }
        guard tokens[1].is("INTO"),
              let usingIndex = tokens.firstIndex(where: { $0.is("USING") }),
              let onIndex = tokens[usingIndex...].firstIndex(where: { $0.is("ON") }),
              let (target, _) = TableName.read(tokens, at: 2, sql: sql),
              let (source, _) = TableName.read(tokens, at: usingIndex + 1, sql: sql)
        else { return .invalid(PGError(code: "42601", message: "syntax error in MERGE ... REMOVE DUPLICATES")) }
        let targetClause = TableName.slice(sql, tokens[2].range.lowerBound..<tokens[usingIndex - 1].range.upperBound)
        let sourceClause = TableName.slice(sql, tokens[usingIndex + 1].range.lowerBound..<tokens[onIndex - 1].range.upperBound)
        let condition = TableName.slice(sql, tokens[onIndex + 1].range.lowerBound..<tokens[tokens.count - 3].range.upperBound)
        return .mergeRemoveDuplicates(MergeRemoveDuplicates(
            deleteSQL: "DELETE FROM \(targetClause) USING \(sourceClause) WHERE \(condition)",
            insertSQL: "INSERT INTO \(target.sql) SELECT * FROM \(source.sql)"))
    }
}

extension ClientSession {
    func runMergeRemoveDuplicates(_ merge: MergeRemoveDuplicates) async throws -> StatementResult {
        let ownTransaction = !backend.transactionStatus.inBlock
        do {
            let results = try await backend.query((ownTransaction ? "BEGIN; " : "") + merge.deleteSQL + "; " + merge.insertSQL
                                                  + (ownTransaction ? "; COMMIT" : ""))
            let inserted = results.compactMap { $0.tag.hasPrefix("INSERT") ? $0.tag.split(separator: " ").last : nil }.first ?? "0"
            return StatementResult(tag: "MERGE \(inserted)")
        } catch {
            if ownTransaction && backend.transactionStatus.inBlock { _ = try? await backend.query("ROLLBACK") }
            throw error
        }
    }
}
