/// A parsed `COPY table [(cols)] FROM 's3://...' ...` with every option the emulator honours.
struct CopyCommand: Sendable {
    var table: TableName
    /// Target columns in file order; empty means all columns in table order.
    var columns: [String] = []
    /// The `s3://bucket/key-or-prefix` source.
    var source: S3Location
    var authorization: CopyAuthorization = .none
    var region: String?
    var manifest = false
    var options = CopyOptions()
    /// The statement with its credentials replaced by `****`, for logs.
    var redactedSQL = ""

    /// `COPY ... FROM 's3://...'` becomes `.copyFromS3`; other COPYs go to PostgreSQL.
    static func classify(tokens: [SQLToken], sql: String) -> InterceptedStatement? {
        guard let fromIndex = tokens.firstIndex(where: { $0.is("FROM") }), fromIndex + 1 < tokens.count,
              tokens[fromIndex + 1].kind == .string, tokens[fromIndex + 1].text.lowercased().hasPrefix("s3://")
        else { return nil }
        do {
            return .copyFromS3(try parse(tokens: tokens, fromIndex: fromIndex, sql: sql))
        } catch let error as PGError {
            return .invalid(error)
        } catch {
            return .invalid(PGError(code: "42601", message: "\(error)"))
        }
    }

    private static func parse(tokens: [SQLToken], fromIndex: Int, sql: String) throws -> CopyCommand {
        guard let (table, afterName) = TableName.read(tokens, at: 1, sql: sql) else { throw syntax("expected a table name after COPY") }
        guard let source = S3Location(url: tokens[fromIndex + 1].text) else {
            throw syntax("invalid S3 location '\(tokens[fromIndex + 1].text)'")
        }
        var command = CopyCommand(table: table, source: source)
        command.redactedSQL = redacted(sql)
        if afterName < fromIndex {
            guard tokens[afterName].isSymbol("(") else { throw syntax("unexpected \"\(tokens[afterName].text)\" before FROM") }
            command.columns = tokens[(afterName + 1)..<fromIndex]
                .filter { $0.kind == .word || $0.kind == .quotedIdentifier }
                .map { $0.kind == .quotedIdentifier ? $0.text : $0.text.lowercased() }
        }
        var parser = CopyOptionParser(tokens: Array(tokens[(fromIndex + 2)...]))
        try parser.parse(into: &command)
        return command
    }

    static func syntax(_ message: String) -> PGError {
        PGError(code: "42601", message: "COPY: \(message)")
    }

    /// The statement as it may appear in logs: every credential replaced by `****`.
    static func redacted(_ sql: String) -> String {
        var rewriter = SQLRewriter(sql: sql)
        let tokens = SQLTokenizer.tokenize(sql)
        for (index, token) in tokens.enumerated() where token.kind == .word {
            guard ["CREDENTIALS", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "SESSION_TOKEN"].contains(token.text.uppercased()) else { continue }
            var valueIndex = index + 1
            if valueIndex < tokens.count, tokens[valueIndex].is("AS") { valueIndex += 1 }
            if valueIndex < tokens.count, tokens[valueIndex].kind == .string { rewriter.replace(tokens[valueIndex].range, with: "'****'") }
        }
        return rewriter.result
    }
}

/// `s3://bucket/key`: a bucket and a key or key prefix.
struct S3Location: Sendable, Equatable, CustomStringConvertible {
    var bucket: String
    var key: String

    init?(url: String) {
        guard url.lowercased().hasPrefix("s3://") else { return nil }
        let rest = url.dropFirst(5)
        guard let slash = rest.firstIndex(of: "/") else {
            guard !rest.isEmpty else { return nil }
            self.bucket = String(rest); self.key = ""; return
        }
        self.bucket = String(rest[..<slash])
        self.key = String(rest[rest.index(after: slash)...])
        guard !bucket.isEmpty else { return nil }
    }

    var description: String { "s3://\(bucket)/\(key)" }
}

/// How the COPY proves who it is to S3. Prints redacted.
enum CopyAuthorization: Sendable, CustomStringConvertible {
    case none
    /// `IAM_ROLE 'arn...'` or `IAM_ROLE default`: the emulator uses its configured keys.
    case iamRole(String)
    /// Keys from `ACCESS_KEY_ID`/`SECRET_ACCESS_KEY`/`SESSION_TOKEN` or a `CREDENTIALS` string.
    case keys(accessKeyID: String, secretAccessKey: String, sessionToken: String?)

    var description: String {
        switch self {
        case .none: return "none"
        case .iamRole(let role): return "IAM_ROLE \(role)"
        case .keys(let id, _, let token): return "ACCESS_KEY_ID \(id) SECRET_ACCESS_KEY ****\(token == nil ? "" : " SESSION_TOKEN ****")"
        }
    }
}
