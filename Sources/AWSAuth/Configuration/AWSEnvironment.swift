import Foundation

/// The settings AWS tools read from the environment and the shared files: profile, region,
/// endpoint overrides, and where the shared files are.
///
/// It holds the variables it was given (the process environment by default), so a configuration
/// loaded with other variables, or a test, never reads the process's own.
public struct AWSEnvironment: Sendable {
    /// The environment variables.
    public var variables: [String: String]
    /// The profile of the shared files: the explicit one, else `AWS_PROFILE`, else
    /// `AWS_DEFAULT_PROFILE`, else `default`.
    public var profile: String

    /// - Parameters:
    ///   - variables: The environment variables; default the process's.
    ///   - profile: A profile chosen explicitly (e.g. in a configuration file); default none.
    public init(_ variables: [String: String] = ProcessInfo.processInfo.environment, profile: String? = nil) {
        self.variables = variables
        self.profile = profile.flatMap { $0.isEmpty ? nil : $0 }
            ?? [variables["AWS_PROFILE"], variables["AWS_DEFAULT_PROFILE"]].compactMap { $0 }.first { !$0.isEmpty }
            ?? "default"
    }

    /// A variable's value; empty counts as unset.
    public func value(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// Whether a boolean variable is set to `true` (any case).
    func isTrue(_ name: String) -> Bool { value(name)?.lowercased() == "true" }

    /// `~/.aws/credentials`, or `AWS_SHARED_CREDENTIALS_FILE`.
    public var credentialsFilePath: String {
        value("AWS_SHARED_CREDENTIALS_FILE").map(expandingHome) ?? expandingHome("~/.aws/credentials")
    }

    /// `~/.aws/config`, or `AWS_CONFIG_FILE`.
    public var configFilePath: String {
        value("AWS_CONFIG_FILE").map(expandingHome) ?? expandingHome("~/.aws/config")
    }

    /// The shared files, read now (missing files are empty).
    package func profileFiles() throws(AWSAuthError) -> AWSProfileFiles {
        try AWSProfileFiles.load(credentialsPath: credentialsFilePath, configPath: configFilePath)
    }

    /// The region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's `region`; `nil` when
    /// none is set.
    public var region: String? {
        if let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") { return region }
        return (try? profileFiles())?.value("region", profile: profile).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A configured endpoint for `service`: `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`,
    /// else the profile's `endpoint_url`; none when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`.
    public func configuredEndpoint(for service: AWSService) -> String? {
        if isTrue("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") { return nil }
        if let url = value(service.endpointVariable) ?? value("AWS_ENDPOINT_URL") { return url }
        return (try? profileFiles())?.value("endpoint_url", profile: profile).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The endpoint requests to `service` in `region` go to: the configured one, else AWS's own.
    public func endpoint(for service: AWSService, region: String) -> String {
        configuredEndpoint(for: service) ?? service.defaultEndpoint(region: region)
    }

    /// `~/…` with `HOME` (of these variables) in place of `~`.
    func expandingHome(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = value("HOME") ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}
