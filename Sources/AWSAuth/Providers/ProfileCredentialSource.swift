import Foundation

/// The shared files' profile (`~/.aws/credentials`, `~/.aws/config`, or `AWS_SHARED_CREDENTIALS_FILE`,
/// `AWS_CONFIG_FILE`; profile `AWS_PROFILE` or `default`).
///
/// In botocore's order: a `role_arn` assumed with STS `AssumeRole` using the credentials of its
/// `source_profile` (itself resolved the same way, so role chains work) or of its
/// `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`), or with
/// `web_identity_token_file`; else the keys of the credentials file; else `credential_process`;
/// else the keys of the config file.
public struct ProfileCredentialSource: AWSCredentialSource {
    private let environment: AWSEnvironment
    private let api: AWSAPI

    /// - Parameters:
    ///   - environment: The variables and the profile to use.
    ///   - httpClient: The client STS is called with.
    public init(environment: AWSEnvironment, httpClient: HTTPClientReference = .shared) {
        self.init(environment: environment, api: AWSAPI(httpClient: httpClient.client))
    }

    package init(environment: AWSEnvironment, api: AWSAPI) {
        self.environment = environment
        self.api = api
    }

    public var name: String { "shared files (profile \(environment.profile))" }

    public func resolve() async throws -> AWSCredentialResolution {
        let files = try environment.profileFiles()
        let profile = environment.profile
        guard files.hasProfile(profile) else {
            return .notApplicable("profile `\(profile)` is in neither \(files.credentialsPath) nor \(files.configPath)")
        }
        guard let credentials = try await credentials(for: profile, files: files, visited: []) else {
            return .notApplicable("profile `\(profile)` has no aws_access_key_id, role_arn or credential_process")
        }
        return .found(credentials)
    }

    private func credentials(for profile: String, files: AWSProfileFiles, visited: Set<String>) async throws -> AWSCredentials? {
        func value(_ key: String) -> String? { files.value(key, profile: profile).flatMap { $0.isEmpty ? nil : $0 } }
        if let roleARN = value("role_arn") {
            return try await assumeRole(roleARN, profile: profile, files: files, visited: visited.union([profile]))
        }
        if let keys = try Self.keys(files.credentials[profile], profile: profile, file: files.credentialsPath) { return keys }
        if let command = value("credential_process") {
            return try await CredentialProcess(command: command, environment: environment.variables).run()
        }
        return try Self.keys(files.config[profile], profile: profile, file: files.configPath)
    }

    private func assumeRole(_ roleARN: String, profile: String, files: AWSProfileFiles, visited: Set<String>) async throws -> AWSCredentials {
        func value(_ key: String) -> String? { files.value(key, profile: profile).flatMap { $0.isEmpty ? nil : $0 } }
        let sts = STS(api: api, environment: environment, region: value("region") ?? environment.region)
        let sessionName = value("role_session_name") ?? STS.defaultSessionName()
        if let tokenFile = value("web_identity_token_file"), value("source_profile") == nil, value("credential_source") == nil {
            return try await WebIdentityCredentialSource.assume(roleARN: roleARN, tokenFile: tokenFile, sessionName: sessionName, sts: sts)
        }
        let source: AWSCredentials
        switch (value("source_profile"), value("credential_source")) {
        case (let sourceProfile?, nil):
            source = try await sourceCredentials(sourceProfile, of: profile, files: files, visited: visited)
        case (nil, let credentialSource?):
            source = try await credentialSourceCredentials(credentialSource, profile: profile)
        case (_?, _?):
            throw AWSAuthError(code: .invalidConfiguration, message: "profile `\(profile)` sets both source_profile and credential_source")
        case (nil, nil):
            throw AWSAuthError(code: .invalidConfiguration, message: "profile `\(profile)` sets role_arn without source_profile, credential_source or web_identity_token_file")
        }
        do {
            return try await sts.assumeRole(
                roleARN: roleARN, sessionName: sessionName, externalID: value("external_id"),
                durationSeconds: value("duration_seconds").flatMap(Int.init), credentials: source)
        } catch var error as AWSAuthError {
            error.message += (error.message.isEmpty ? "" : " ") + "(profile `\(profile)`, role \(roleARN))"
            throw error
        }
    }

    /// A `source_profile`'s credentials: its own role chain or keys; a profile naming itself
    /// uses its own keys (the documented way to assume a role from a profile's static keys).
    private func sourceCredentials(_ sourceProfile: String, of profile: String, files: AWSProfileFiles, visited: Set<String>) async throws -> AWSCredentials {
        if sourceProfile == profile {
            if let keys = try Self.keys(files.credentials[profile], profile: profile, file: files.credentialsPath)
                ?? Self.keys(files.config[profile], profile: profile, file: files.configPath) {
                return keys
            }
        } else {
            guard files.hasProfile(sourceProfile) else {
                throw AWSAuthError(code: .invalidConfiguration, message: "source_profile `\(sourceProfile)` of profile `\(profile)` does not exist")
            }
            guard !visited.contains(sourceProfile) else {
                throw AWSAuthError(code: .invalidConfiguration, message: "the source_profile chain of profile `\(profile)` loops back to `\(sourceProfile)`")
            }
            if let credentials = try await credentials(for: sourceProfile, files: files, visited: visited) { return credentials }
        }
        throw AWSAuthError(code: .invalidConfiguration, message: "source_profile `\(sourceProfile)` of profile `\(profile)` has no credentials")
    }

    private func credentialSourceCredentials(_ name: String, profile: String) async throws -> AWSCredentials {
        let source: any AWSCredentialSource
        switch name {
        case "Environment": source = EnvironmentCredentialSource(prefix: "AWS_", environment: environment)
        case "Ec2InstanceMetadata": source = InstanceMetadataCredentialSource(environment: environment, api: AWSAPI(httpClient: api.httpClient, timeout: .seconds(1)))
        case "EcsContainer": source = ContainerCredentialSource(environment: environment, api: AWSAPI(httpClient: api.httpClient, timeout: .seconds(2)))
        default:
            throw AWSAuthError(code: .invalidConfiguration, message: "profile `\(profile)`: credential_source must be Environment, Ec2InstanceMetadata or EcsContainer, not `\(name)`")
        }
        switch try await source.resolve() {
        case .found(let credentials): return credentials
        case .notApplicable(let reason):
            throw AWSAuthError(code: .invalidConfiguration, message: "profile `\(profile)`: credential_source \(name) has no credentials: \(reason)")
        }
    }

    /// `aws_access_key_id` + `aws_secret_access_key` (+ `aws_session_token`) of one file's section.
    private static func keys(_ settings: [String: String]?, profile: String, file: String) throws(AWSAuthError) -> AWSCredentials? {
        guard let settings else { return nil }
        let id = settings["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = settings["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
        switch (id, secret) {
        case (let id?, let secret?):
            return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: settings["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 })
        case (nil, nil):
            return nil
        default:
            throw AWSAuthError(code: .invalidConfiguration, message: "profile `\(profile)` in \(file) sets only one of aws_access_key_id and aws_secret_access_key")
        }
    }
}
