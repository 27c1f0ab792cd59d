/// How COPY authenticates to S3: an IAM role, or access keys (optionally temporary).
public enum RedshiftCredentials: Sendable, Hashable, CustomStringConvertible {
    /// `IAM_ROLE 'arn:aws:iam::...:role/...'`.
    case iamRole(String)
    /// `ACCESS_KEY_ID '...' SECRET_ACCESS_KEY '...' [SESSION_TOKEN '...']`.
    case accessKeys(id: String, secret: Secret, sessionToken: Secret?)

    /// Picks the IAM role when configured, otherwise the access keys; `nil` when neither is set.
    init?(_ storage: ReplicatorConfiguration.Storage) {
        if let role = storage.iamRole { self = .iamRole(role); return }
        guard let id = storage.accessKeyID, let secret = storage.secretAccessKey else { return nil }
        self = .accessKeys(id: id, secret: secret, sessionToken: storage.sessionToken)
    }

    /// The COPY clause. `redacted` replaces every key and token with `********`.
    func clause(dialect: RedshiftDialect, redacted: Bool) -> String {
        switch self {
        case .iamRole(let arn):
            return "IAM_ROLE \(dialect.quoteLiteral(arn))"
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
