/// The AWS calls rrr makes besides S3, signed with credentials from a provider (usually an
/// ``AWSCredentialChain``): Secrets Manager `GetSecretValue`, Redshift `GetClusterCredentials`
/// and `GetClusterCredentialsWithIAM`, Redshift Serverless `GetCredentials`.
///
/// Endpoints follow ``AWSEnvironment/endpoint(for:region:)``: `AWS_ENDPOINT_URL_<SERVICE>`,
/// `AWS_ENDPOINT_URL`, else AWS's regional endpoint.
public struct AWSClient: Sendable {
    /// Variables, profile and endpoint overrides.
    public var environment: AWSEnvironment
    /// Where signing credentials come from.
    public var credentials: any AWSCredentialProvider
    package var api: AWSAPI

    /// - Parameters:
    ///   - environment: Variables, profile and endpoint overrides.
    ///   - credentials: Where signing credentials come from.
    ///   - httpClient: The HTTP client; default `HTTPClient.shared`.
    ///   - retryPolicy: Retries of throttled, 5xx and dropped calls; default ``RetryPolicy/default``.
    public init(environment: AWSEnvironment, credentials: any AWSCredentialProvider,
                httpClient: HTTPClientReference = .shared, retryPolicy: RetryPolicy = .default) {
        self.environment = environment
        self.credentials = credentials
        self.api = AWSAPI(httpClient: httpClient.client, retryPolicy: retryPolicy)
    }

    /// Makes a signed call; errors name the credentials' provider.
    package func signedCall(_ call: AWSAPI.Call) async throws -> AWSAPI.Response {
        let signing = try await credentials.credentials()
        do {
            return try await api.call(call, credentials: signing)
        } catch let error as AWSAuthError {
            throw signing.providerName.map { error.attributed(to: $0) } ?? error
        }
    }
}
