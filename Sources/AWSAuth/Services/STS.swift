import Foundation

/// The two STS calls the credential chain makes: `AssumeRole` (a profile's `role_arn`) and
/// `AssumeRoleWithWebIdentity` (EKS IRSA, GitHub OIDC). Query protocol, version 2011-06-15.
package struct STS: Sendable {
    package var api: AWSAPI
    package var environment: AWSEnvironment
    /// The region of the regional endpoint `sts.<region>.amazonaws.com` (and of the signature).
    package var region: String

    package init(api: AWSAPI, environment: AWSEnvironment, region: String? = nil) {
        self.api = api
        self.environment = environment
        self.region = region ?? environment.region ?? "us-east-1"
    }

    /// `AssumeRole`, signed with `credentials`.
    package func assumeRole(roleARN: String, sessionName: String, externalID: String? = nil, durationSeconds: Int? = nil,
                            credentials: AWSCredentials) async throws -> AWSCredentials {
        var parameters = [("RoleArn", roleARN), ("RoleSessionName", sessionName)]
        if let externalID { parameters.append(("ExternalId", externalID)) }
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        let response = try await api.call(call("AssumeRole", parameters), credentials: credentials)
        return try Self.credentials(from: response, result: "AssumeRoleResult", operation: "STS AssumeRole")
    }

    /// `AssumeRoleWithWebIdentity`: unsigned, the identity token is the proof.
    package func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, token: String,
                                           durationSeconds: Int? = nil) async throws -> AWSCredentials {
        var parameters = [("RoleArn", roleARN), ("RoleSessionName", sessionName), ("WebIdentityToken", token)]
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        let response = try await api.call(call("AssumeRoleWithWebIdentity", parameters), credentials: nil)
        return try Self.credentials(from: response, result: "AssumeRoleWithWebIdentityResult", operation: "STS AssumeRoleWithWebIdentity")
    }

    private func call(_ operation: String, _ parameters: [(String, String)]) -> AWSAPI.Call {
        AWSAPI.Call(service: .sts, region: region, endpoint: environment.endpoint(for: .sts, region: region),
                    operation: operation, callProtocol: .query(version: "2011-06-15"), parameters: parameters)
    }

    /// `<…Response><…Result><Credentials><AccessKeyId/><SecretAccessKey/><SessionToken/><Expiration/>`.
    static func credentials(from response: AWSAPI.Response, result: String, operation: String) throws -> AWSCredentials {
        guard let root = try? XMLNode.parse(response.body), let credentials = root.child(result)?.child("Credentials"),
              let id = credentials.text(of: "AccessKeyId"), let secret = credentials.text(of: "SecretAccessKey"),
              let token = credentials.text(of: "SessionToken")
        else {
            throw AWSAuthError(code: .invalidResponse, message: "the answer holds no Credentials", operation: operation, httpStatus: response.status)
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token,
                              expiration: credentials.text(of: "Expiration").flatMap(AWSTimestamp.parse))
    }

    /// A session name for roles assumed without one configured: `rrr-<epoch seconds>`.
    package static func defaultSessionName() -> String {
        "rrr-\(Int(Date().timeIntervalSince1970))"
    }
}
