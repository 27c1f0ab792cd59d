import Foundation

/// A role assumed with a web identity token (EKS IAM roles for service accounts, GitHub OIDC):
/// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (+ `AWS_ROLE_SESSION_NAME`), through STS
/// `AssumeRoleWithWebIdentity`. The token file is read again at every renewal, because the
/// platform rotates it.
public struct WebIdentityCredentialSource: AWSCredentialSource {
    private let environment: AWSEnvironment
    private let api: AWSAPI

    /// - Parameters:
    ///   - environment: Where the variables are read.
    ///   - httpClient: The client STS is called with.
    public init(environment: AWSEnvironment, httpClient: HTTPClientReference = .shared) {
        self.init(environment: environment, api: AWSAPI(httpClient: httpClient.client))
    }

    package init(environment: AWSEnvironment, api: AWSAPI) {
        self.environment = environment
        self.api = api
    }

    public var name: String { "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)" }

    public func resolve() async throws -> AWSCredentialResolution {
        guard let tokenFile = environment.value("AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return .notApplicable("AWS_WEB_IDENTITY_TOKEN_FILE is not set")
        }
        guard let roleARN = environment.value("AWS_ROLE_ARN") else {
            return .notApplicable("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
        }
        let credentials = try await Self.assume(
            roleARN: roleARN, tokenFile: tokenFile,
            sessionName: environment.value("AWS_ROLE_SESSION_NAME") ?? STS.defaultSessionName(),
            sts: STS(api: api, environment: environment))
        return .found(credentials)
    }

    /// Reads the token and assumes the role (shared with profiles that set `web_identity_token_file`).
    static func assume(roleARN: String, tokenFile: String, sessionName: String, sts: STS) async throws -> AWSCredentials {
        let token: String
        do {
            token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw AWSAuthError(code: .invalidConfiguration, message: "cannot read the web identity token file \(tokenFile)", underlying: error)
        }
        guard !token.isEmpty else {
            throw AWSAuthError(code: .invalidConfiguration, message: "the web identity token file \(tokenFile) is empty")
        }
        do {
            return try await sts.assumeRoleWithWebIdentity(roleARN: roleARN, sessionName: sessionName, token: token)
        } catch var error as AWSAuthError {
            error.message += error.message.isEmpty ? "role \(roleARN)" : " (role \(roleARN))"
            throw error
        }
    }
}
