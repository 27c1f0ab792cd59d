extension AWSCredentialChain {
    /// The AWS SDKs' chain, after any `leading` sources of the caller's own (explicit settings):
    ///
    /// 1. environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`
    ///    (skipped when `skipEnvironmentKeys`, as botocore does for an explicitly chosen profile);
    /// 2. web identity: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` through STS;
    /// 3. the shared files' profile: `role_arn` (STS `AssumeRole`), keys, `credential_process`;
    /// 4. container credentials (ECS task role, EKS Pod Identity);
    /// 5. EC2 instance metadata (IMDSv2).
    public static func standard(
        leading: [any AWSCredentialSource] = [], environment: AWSEnvironment, skipEnvironmentKeys: Bool = false,
        httpClient: HTTPClientReference = .shared, refreshWindow: Duration = .seconds(15 * 60)
    ) -> AWSCredentialChain {
        var sources = leading
        if !skipEnvironmentKeys { sources.append(EnvironmentCredentialSource(prefix: "AWS_", environment: environment)) }
        sources += [
            WebIdentityCredentialSource(environment: environment, httpClient: httpClient),
            ProfileCredentialSource(environment: environment, httpClient: httpClient),
            ContainerCredentialSource(environment: environment, httpClient: httpClient),
            InstanceMetadataCredentialSource(environment: environment, httpClient: httpClient),
        ] as [any AWSCredentialSource]
        return AWSCredentialChain(sources: sources, refreshWindow: refreshWindow)
    }
}
