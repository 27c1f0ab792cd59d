/// Keys given explicitly (e.g. in a configuration file), or a reason why there are none.
public struct StaticCredentialSource: AWSCredentialSource {
    public let name: String
    private let credentials: AWSCredentials?
    private let missingReason: String

    /// - Parameters:
    ///   - name: How errors name it, e.g. `rrr.yml (aws.access_key_id)`.
    ///   - credentials: The keys, or `nil` when not configured.
    ///   - missingReason: Why there are none, e.g. `aws.access_key_id is not set`.
    public init(name: String, credentials: AWSCredentials?, missingReason: String = "not set") {
        self.name = name
        self.credentials = credentials
        self.missingReason = missingReason
    }

    public func resolve() async throws -> AWSCredentialResolution {
        credentials.map { .found($0) } ?? .notApplicable(missingReason)
    }
}

/// `<prefix>ACCESS_KEY_ID`, `<prefix>SECRET_ACCESS_KEY`, `<prefix>SESSION_TOKEN` (`AWS_` for the
/// standard variables, `RRR_AWS_` for the gem's).
public struct EnvironmentCredentialSource: AWSCredentialSource {
    /// `AWS_` or `RRR_AWS_`.
    public let prefix: String
    private let environment: AWSEnvironment

    /// - Parameters:
    ///   - prefix: The variables' prefix: `AWS_` or `RRR_AWS_`.
    ///   - environment: Where the variables are read; default the process environment.
    public init(prefix: String, environment: AWSEnvironment = AWSEnvironment()) {
        self.prefix = prefix
        self.environment = environment
    }

    public var name: String { "environment (\(prefix)ACCESS_KEY_ID)" }

    public func resolve() async throws -> AWSCredentialResolution {
        try read(environment).map { .found($0) } ?? .notApplicable("\(prefix)ACCESS_KEY_ID is not set")
    }

    /// The keys, `nil` when unset; a half-set pair is an error naming the missing variable.
    func read(_ environment: AWSEnvironment) throws(AWSAuthError) -> AWSCredentials? {
        let idName = prefix + "ACCESS_KEY_ID", secretName = prefix + "SECRET_ACCESS_KEY"
        switch (environment.value(idName), environment.value(secretName)) {
        case (let id?, let secret?):
            return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: environment.value(prefix + "SESSION_TOKEN"))
        case (nil, nil):
            return nil
        case (_?, nil):
            throw AWSAuthError(code: .invalidConfiguration, message: "\(idName) is set but \(secretName) is not", provider: name)
        case (nil, _?):
            throw AWSAuthError(code: .invalidConfiguration, message: "\(secretName) is set but \(idName) is not", provider: name)
        }
    }
}
