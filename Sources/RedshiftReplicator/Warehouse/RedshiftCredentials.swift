/// How COPY authenticates to S3: an IAM role (the cluster assumes it; nothing secret travels), or
/// access keys, with a session token when temporary (they travel inside the statement).
public enum RedshiftCredentials: Sendable, Hashable, CustomStringConvertible {
    /// `IAM_ROLE 'arn:aws:iam::...:role/...'`; a chain is comma-separated (`'arn1,arn2'`);
    /// `default` is the cluster's default role (`IAM_ROLE default`, a keyword).
    case iamRole(String)
    /// `ACCESS_KEY_ID '...' SECRET_ACCESS_KEY '...' [SESSION_TOKEN '...']`.
    case accessKeys(id: String, secret: Secret, sessionToken: Secret?)

    /// The COPY clause. `redacted` replaces every key and token with `********`.
    func clause(dialect: RedshiftDialect, redacted: Bool) -> String {
        switch self {
        case .iamRole(let arn):
            return arn.lowercased() == "default" ? "IAM_ROLE default" : "IAM_ROLE \(dialect.quoteLiteral(arn))"
        case .accessKeys(let id, let secret, let token):
            func value(_ text: String) -> String { redacted ? "'********'" : dialect.quoteLiteral(text) }
            var clause = "ACCESS_KEY_ID \(value(id)) SECRET_ACCESS_KEY \(value(secret.value))"
            if let token { clause += " SESSION_TOKEN \(value(token.value))" }
            return clause
        }
    }

    public var description: String {
        switch self {
        case .iamRole(let arn): return "IAM role \(arn)"
        case .accessKeys: return "access keys (********)"
        }
    }
}
