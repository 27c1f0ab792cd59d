import Foundation

/// The container credentials endpoint: ECS task roles (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`,
/// served at `http://169.254.170.2`) and EKS Pod Identity (`AWS_CONTAINER_CREDENTIALS_FULL_URI` with
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`, or `AWS_CONTAINER_AUTHORIZATION_TOKEN`).
///
/// A full URI must be `https`, or `http` to a loopback address or to the ECS / EKS agent addresses
/// (169.254.170.2, 169.254.170.23, fd00:ec2::23), as the SDKs require. The answer is
/// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`.
public struct ContainerCredentialSource: AWSCredentialSource {
    /// Where relative URIs are served (ECS's agent).
    public static let ecsBase = "http://169.254.170.2"
    private static let allowedHTTPHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]", "localhost"]

    private let environment: AWSEnvironment
    private let api: AWSAPI
    private let relativeBase: String

    /// - Parameters:
    ///   - environment: Where the variables are read.
    ///   - httpClient: The client the endpoint is called with.
    public init(environment: AWSEnvironment, httpClient: HTTPClientReference = .shared) {
        self.init(environment: environment, api: AWSAPI(httpClient: httpClient.client, timeout: .seconds(2)))
    }

    /// `relativeBase` replaces ECS's agent address (tests).
    package init(environment: AWSEnvironment, api: AWSAPI, relativeBase: String = ContainerCredentialSource.ecsBase) {
        self.environment = environment
        self.api = api
        self.relativeBase = relativeBase
    }

    public var name: String { "container credentials (AWS_CONTAINER_CREDENTIALS_*_URI)" }

    public func resolve() async throws -> AWSCredentialResolution {
        let url: String
        if let relative = environment.value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            url = relativeBase + (relative.hasPrefix("/") ? "" : "/") + relative
        } else if let full = environment.value("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            try Self.checkAllowed(full)
            url = full
        } else {
            return .notApplicable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
        }
        var headers: [(name: String, value: String)] = []
        if let token = try authorizationToken() { headers.append(("authorization", token)) }
        return .found(try await fetch(url: url, headers: headers))
    }

    /// The token file wins over the token variable (EKS rotates the file).
    private func authorizationToken() throws(AWSAuthError) -> String? {
        if let file = environment.value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            do {
                return try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw AWSAuthError(code: .invalidConfiguration, message: "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file)", underlying: error)
            }
        }
        return environment.value("AWS_CONTAINER_AUTHORIZATION_TOKEN")
    }

    /// Three attempts, a second apart, as botocore: the agent may be starting.
    private func fetch(url: String, headers: [(name: String, value: String)]) async throws -> AWSCredentials {
        var lastError: AWSAuthError?
        for attempt in 1...3 {
            if attempt > 1 { try await Task.sleep(for: .seconds(1)) }
            let response: AWSAPI.Response
            do {
                response = try await api.send(url: url, method: .GET, headers: headers, timeout: api.timeout)
            } catch {
                if error is CancellationError { throw error }
                lastError = AWSAuthError(code: .connectionFailed, message: "\(url) did not answer", underlying: error)
                continue
            }
            guard response.status == 200 else {
                let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
                let error = AWSAuthError(code: AWSAuthError.Code((object?["code"] as? String) ?? "HTTP\(response.status)"),
                                         message: (object?["message"] as? String) ?? "\(url) answered HTTP \(response.status)",
                                         httpStatus: response.status)
                if response.status >= 500 { lastError = error; continue }
                throw error
            }
            return try CredentialDocument.parse(response.body, tokenField: "Token", what: "the container credentials endpoint")
        }
        throw lastError!
    }

    /// https anywhere; http only to loopback or the agents' addresses.
    static func checkAllowed(_ url: String) throws(AWSAuthError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), let host = components.host else {
            throw AWSAuthError(code: .invalidConfiguration, message: "AWS_CONTAINER_CREDENTIALS_FULL_URI \(url) is not a URL")
        }
        if scheme == "https" { return }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let loopback = bare == "::1" || bare.hasPrefix("127.")
        guard scheme == "http", loopback || allowedHTTPHosts.contains(bare) else {
            throw AWSAuthError(code: .invalidConfiguration, message: "AWS_CONTAINER_CREDENTIALS_FULL_URI \(url) must be https, or http to a loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23")
        }
    }
}

/// The JSON credential documents of the container endpoint, instance metadata and
/// `credential_process`: `AccessKeyId`, `SecretAccessKey`, `Token`/`SessionToken`, `Expiration`.
enum CredentialDocument {
    static func parse(_ body: [UInt8], tokenField: String, what: String) throws(AWSAuthError) -> AWSCredentials {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw AWSAuthError(code: .invalidResponse, message: "\(what) did not answer a JSON object")
        }
        guard let id = object["AccessKeyId"] as? String, let secret = object["SecretAccessKey"] as? String, !id.isEmpty, !secret.isEmpty else {
            throw AWSAuthError(code: .invalidResponse, message: "\(what) answered without AccessKeyId and SecretAccessKey")
        }
        var expiration: Date?
        if let text = object["Expiration"] as? String {
            guard let date = AWSTimestamp.parse(text) else {
                throw AWSAuthError(code: .invalidResponse, message: "\(what) answered an unreadable Expiration")
            }
            expiration = date
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: object[tokenField] as? String, expiration: expiration)
    }
}
