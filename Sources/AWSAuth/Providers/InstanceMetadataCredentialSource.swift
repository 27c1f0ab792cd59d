import Foundation

/// The EC2 instance profile's role, from the instance metadata service, IMDSv2 only: a session
/// token (`PUT /latest/api/token`), then the role name and its credentials
/// (`GET /latest/meta-data/iam/security-credentials/[role]`, token in `X-aws-ec2-metadata-token`).
///
/// Off EC2 the address does not answer: the token request gives up after one second and one
/// attempt (botocore's defaults, `AWS_METADATA_SERVICE_TIMEOUT` / `AWS_METADATA_SERVICE_NUM_ATTEMPTS`
/// change them), so the chain ends quickly with a clear error. `AWS_EC2_METADATA_DISABLED=true`
/// skips it; `AWS_EC2_METADATA_SERVICE_ENDPOINT` points it elsewhere.
public struct InstanceMetadataCredentialSource: AWSCredentialSource {
    /// The metadata service's address.
    public static let defaultEndpoint = "http://169.254.169.254"
    private static let credentialsPath = "/latest/meta-data/iam/security-credentials/"

    private let environment: AWSEnvironment
    private let api: AWSAPI

    /// - Parameters:
    ///   - environment: Where the variables are read.
    ///   - httpClient: The client the service is called with.
    public init(environment: AWSEnvironment, httpClient: HTTPClientReference = .shared) {
        let seconds = environment.value("AWS_METADATA_SERVICE_TIMEOUT").flatMap(Int.init).map { max(1, $0) } ?? 1
        self.init(environment: environment, api: AWSAPI(httpClient: httpClient.client, timeout: .seconds(seconds)))
    }

    package init(environment: AWSEnvironment, api: AWSAPI) {
        self.environment = environment
        self.api = api
    }

    public var name: String { "EC2 instance metadata (IMDSv2)" }

    private var endpoint: String {
        let base = environment.value("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? Self.defaultEndpoint
        return base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    public func resolve() async throws -> AWSCredentialResolution {
        if environment.isTrue("AWS_EC2_METADATA_DISABLED") {
            return .notApplicable("AWS_EC2_METADATA_DISABLED is true")
        }
        let seconds = Int(api.timeout.timeInterval.rounded())
        let attempts = environment.value("AWS_METADATA_SERVICE_NUM_ATTEMPTS").flatMap(Int.init).map { max(1, $0) } ?? 1
        var tokenAnswer: AWSAPI.Response?
        for _ in 1...attempts where tokenAnswer == nil {
            do {
                tokenAnswer = try await api.send(
                    url: endpoint + "/latest/api/token", method: .PUT,
                    headers: [("x-aws-ec2-metadata-token-ttl-seconds", "21600")], timeout: api.timeout)
            } catch {
                if error is CancellationError { throw error }
            }
        }
        guard let tokenResponse = tokenAnswer else {
            return .notApplicable("no answer from \(endpoint) within \(seconds) s (not on EC2)")
        }
        guard tokenResponse.status == 200, !tokenResponse.body.isEmpty else {
            // 403: IMDS disabled for the instance; 404/405: not an IMDSv2 service.
            return .notApplicable("\(endpoint) refused an IMDSv2 session token (HTTP \(tokenResponse.status))")
        }
        let token = [("x-aws-ec2-metadata-token", tokenResponse.text)]
        let roles = try await get(Self.credentialsPath, headers: token)
        guard roles.status == 200, let role = roles.text.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            return .notApplicable("the instance has no IAM role (instance profile) attached (HTTP \(roles.status))")
        }
        let answer = try await get(Self.credentialsPath + role, headers: token)
        guard answer.status == 200 else {
            throw AWSAuthError(code: AWSAuthError.Code("HTTP\(answer.status)"), message: "the credentials of role \(role) could not be read",
                               httpStatus: answer.status)
        }
        if let object = (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [String: Any],
           let code = object["Code"] as? String, code != "Success" {
            throw AWSAuthError(code: AWSAuthError.Code(code), message: (object["Message"] as? String) ?? "role \(role)")
        }
        var credentials = try CredentialDocument.parse(answer.body, tokenField: "Token", what: "the instance metadata service")
        credentials.providerName = "\(name), role \(role)"
        return .found(credentials)
    }

    private func get(_ path: String, headers: [(name: String, value: String)]) async throws -> AWSAPI.Response {
        do {
            return try await api.send(url: endpoint + path, method: .GET, headers: headers, timeout: .seconds(5))
        } catch {
            if error is CancellationError { throw error }
            throw AWSAuthError(code: .connectionFailed, message: "\(endpoint)\(path) did not answer", underlying: error)
        }
    }
}
