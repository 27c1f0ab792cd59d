import AWSAuth
import Foundation

/// Local stand-ins for the AWS endpoints moto does not serve as AWS does, each speaking the
/// documented API on one local HTTP server:
///
/// - EC2 instance metadata, IMDSv2: `PUT /latest/api/token` (needs `X-aws-ec2-metadata-token-ttl-seconds`),
///   then `GET /latest/meta-data/iam/security-credentials/[role]` with `X-aws-ec2-metadata-token`;
/// - the container credentials endpoint (`GET <containerPath>`, `Authorization` checked when a token is set);
/// - STS `AssumeRoleWithWebIdentity` (unsigned, the token checked; moto insists on a signature);
/// - Redshift `GetClusterCredentials` / `GetClusterCredentialsWithIAM` and Redshift Serverless
///   `GetCredentials`, whose SigV4 signature is verified against the secrets of the keys it knows.
///
/// The credentials it hands out come from `issue`: made-up keys for unit tests, or keys moto's STS
/// issued (`AssumeRole`), which moto's S3 then accepts, for end-to-end runs.
public final class AWSStandIn: Sendable {
    /// What the stand-in expects and answers.
    public struct Options: Sendable {
        /// The instance profile's role name.
        public var instanceRole = "rrr-instance-role"
        /// Where container credentials are served.
        public var containerPath = "/v2/credentials/rrr-task"
        /// The `Authorization` value the container endpoint requires; `nil`: none.
        public var containerToken: String?
        /// The web identity token STS accepts.
        public var webIdentityToken = "stand-in-oidc-token"
        /// The database user and password the Redshift calls answer (`IAM:` + the asked user for
        /// GetClusterCredentials, as AWS does).
        public var databasePassword = "stand-in-db-password-\(UUID().uuidString.prefix(8))"
        /// The user GetClusterCredentialsWithIAM and Serverless GetCredentials answer.
        public var iamDatabaseUser = "IAMR:rrr-role"
        /// Lifetime of the temporary database passwords.
        public var databasePasswordLifetime: TimeInterval = 900
        public init() {}
    }

    public let options: Options
    public let server: StandInHTTPServer
    private let issue: @Sendable () async throws -> AWSCredentials
    private let state = Locked<State>(State())

    private struct State {
        var imdsTokens: Set<String> = []
        var knownSecrets: [String: String] = [:]
        var issued: [String: Int] = [:]
    }

    /// `http://127.0.0.1:<port>`.
    public var endpoint: String { server.endpoint }
    /// Every request received, in order.
    public var requests: [StandInHTTPServer.Request] { server.requests }
    /// How many credentials each route issued (`imds`, `container`, `web identity`, `redshift`).
    public func issuedCount(_ route: String) -> Int { state.value.issued[route, default: 0] }

    private init(options: Options, server: StandInHTTPServer, issue: @escaping @Sendable () async throws -> AWSCredentials) {
        self.options = options
        self.server = server
        self.issue = issue
    }

    /// Starts a stand-in.
    /// - Parameters:
    ///   - options: What it expects and answers.
    ///   - issue: Makes the credentials it hands out; default made-up keys valid for an hour.
    public static func start(
        options: Options = Options(),
        issue: @escaping @Sendable () async throws -> AWSCredentials = { AWSStandIn.madeUpCredentials(lifetime: 3600) }
    ) async throws -> AWSStandIn {
        let box = Locked<AWSStandIn?>(nil)
        let server = try await StandInHTTPServer.start { request in
            guard let standIn = box.value else { return .init(status: 503) }
            return await standIn.answer(request)
        }
        let standIn = AWSStandIn(options: options, server: server, issue: issue)
        box.value = standIn
        return standIn
    }

    /// Keys of the test's own whose signatures the Redshift routes can verify.
    public func trust(_ credentials: AWSCredentials) {
        state.withValue { $0.knownSecrets[credentials.accessKeyID] = credentials.secretAccessKey }
    }

    public func shutdown() async { await server.shutdown() }

    /// Random keys in AWS's shapes (`ASIA…`), expiring `lifetime` seconds after `now`.
    public static func madeUpCredentials(lifetime: TimeInterval, now: Date = Date()) -> AWSCredentials {
        let id = "ASIA" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).uppercased()
        return AWSCredentials(accessKeyID: id, secretAccessKey: "standin/" + UUID().uuidString + "+secret",
                              sessionToken: "StandInToken/" + UUID().uuidString + "==", expiration: now.addingTimeInterval(lifetime))
    }

    // MARK: Routes

    private func answer(_ request: StandInHTTPServer.Request) async -> StandInHTTPServer.Response {
        let imdsCredentials = "/latest/meta-data/iam/security-credentials/"
        switch (request.method, request.path) {
        case ("PUT", "/latest/api/token"):
            guard request.header("x-aws-ec2-metadata-token-ttl-seconds").flatMap(Int.init) != nil else { return .init(status: 400) }
            let token = "imds-token-" + UUID().uuidString
            state.withValue { _ = $0.imdsTokens.insert(token) }
            return .init(body: token)
        case ("GET", imdsCredentials):
            guard hasIMDSToken(request) else { return .init(status: 401) }
            return .init(body: options.instanceRole)
        case ("GET", imdsCredentials + options.instanceRole):
            guard hasIMDSToken(request) else { return .init(status: 401) }
            return await credentialsJSON(route: "imds", extra: ["Code": "Success", "Type": "AWS-HMAC"])
        case ("GET", options.containerPath):
            if let expected = options.containerToken, request.header("authorization") != expected {
                return .init(status: 401, body: #"{"code":"AccessDenied","message":"wrong or missing authorization token"}"#)
            }
            return await credentialsJSON(route: "container", extra: [:])
        case ("POST", "/"):
            if request.header("x-amz-target") == "RedshiftServerless.GetCredentials" { return serverlessCredentials(request) }
            switch request.form["Action"] {
            case "AssumeRoleWithWebIdentity": return await assumeRoleWithWebIdentity(request)
            case "GetClusterCredentials", "GetClusterCredentialsWithIAM": return clusterCredentials(request)
            default: return .init(status: 400, body: Self.queryError("InvalidAction", "unknown action"))
            }
        default:
            return .init(status: 404)
        }
    }

    private func hasIMDSToken(_ request: StandInHTTPServer.Request) -> Bool {
        guard let token = request.header("x-aws-ec2-metadata-token") else { return false }
        return state.value.imdsTokens.contains(token)
    }

    private func issueCredentials(route: String) async throws -> AWSCredentials {
        let credentials = try await issue()
        state.withValue {
            $0.knownSecrets[credentials.accessKeyID] = credentials.secretAccessKey
            $0.issued[route, default: 0] += 1
        }
        return credentials
    }

    private func credentialsJSON(route: String, extra: [String: String]) async -> StandInHTTPServer.Response {
        guard let credentials = try? await issueCredentials(route: route) else { return .init(status: 500) }
        var object = extra
        object["AccessKeyId"] = credentials.accessKeyID
        object["SecretAccessKey"] = credentials.secretAccessKey
        object["Token"] = credentials.sessionToken ?? ""
        object["Expiration"] = Self.iso8601(credentials.expiration ?? Date().addingTimeInterval(3600))
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return .init(headers: [("content-type", "application/json")], body: String(decoding: data, as: UTF8.self))
    }

    private func assumeRoleWithWebIdentity(_ request: StandInHTTPServer.Request) async -> StandInHTTPServer.Response {
        let form = request.form
        guard request.header("authorization") == nil else {
            return .init(status: 400, body: Self.queryError("InvalidRequest", "AssumeRoleWithWebIdentity is not signed"))
        }
        guard form["WebIdentityToken"] == options.webIdentityToken else {
            return .init(status: 400, body: Self.queryError("InvalidIdentityToken", "Couldn't verify the web identity token"))
        }
        guard let role = form["RoleArn"], form["RoleSessionName"] != nil else {
            return .init(status: 400, body: Self.queryError("ValidationError", "RoleArn and RoleSessionName are required"))
        }
        guard let credentials = try? await issueCredentials(route: "web identity") else { return .init(status: 500) }
        let body = """
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleWithWebIdentityResult>
                <Credentials>
                  <AccessKeyId>\(credentials.accessKeyID)</AccessKeyId>
                  <SecretAccessKey>\(xmlEscaped(credentials.secretAccessKey))</SecretAccessKey>
                  <SessionToken>\(xmlEscaped(credentials.sessionToken ?? ""))</SessionToken>
                  <Expiration>\(Self.iso8601(credentials.expiration ?? Date().addingTimeInterval(3600)))</Expiration>
                </Credentials>
                <AssumedRoleUser><Arn>\(xmlEscaped(role))/\(xmlEscaped(form["RoleSessionName"] ?? ""))</Arn></AssumedRoleUser>
              </AssumeRoleWithWebIdentityResult>
              <ResponseMetadata><RequestId>standin-1</RequestId></ResponseMetadata>
            </AssumeRoleWithWebIdentityResponse>
            """
        return .init(headers: [("content-type", "text/xml")], body: body)
    }

    private func clusterCredentials(_ request: StandInHTTPServer.Request) -> StandInHTTPServer.Response {
        if let problem = signatureProblem(request, service: "redshift") {
            return .init(status: 403, body: Self.queryError(problem.code, problem.message))
        }
        let form = request.form, action = form["Action"]!
        guard form["ClusterIdentifier"] != nil else {
            return .init(status: 400, body: Self.queryError("InvalidParameterValue", "ClusterIdentifier is required"))
        }
        let user: String
        if action == "GetClusterCredentials" {
            guard let dbUser = form["DbUser"] else { return .init(status: 400, body: Self.queryError("InvalidParameterValue", "DbUser is required")) }
            user = (form["AutoCreate"] == "true" ? "IAMA:" : "IAM:") + dbUser
        } else {
            user = options.iamDatabaseUser
        }
        state.withValue { $0.issued["redshift", default: 0] += 1 }
        let expiration = Self.iso8601(Date().addingTimeInterval(options.databasePasswordLifetime))
        let body = """
            <\(action)Response xmlns="http://redshift.amazonaws.com/doc/2012-12-01/">
              <\(action)Result>
                <DbUser>\(xmlEscaped(user))</DbUser>
                <DbPassword>\(xmlEscaped(options.databasePassword))</DbPassword>
                <Expiration>\(expiration)</Expiration>
              </\(action)Result>
              <ResponseMetadata><RequestId>standin-2</RequestId></ResponseMetadata>
            </\(action)Response>
            """
        return .init(headers: [("content-type", "text/xml")], body: body)
    }

    private func serverlessCredentials(_ request: StandInHTTPServer.Request) -> StandInHTTPServer.Response {
        if let problem = signatureProblem(request, service: "redshift-serverless") {
            return .init(status: 403, headers: [("content-type", "application/x-amz-json-1.1")],
                         body: #"{"__type":"\#(problem.code)","message":"\#(problem.message)"}"#)
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
        guard object?["workgroupName"] is String else {
            return .init(status: 400, body: #"{"__type":"ValidationException","message":"workgroupName is required"}"#)
        }
        state.withValue { $0.issued["redshift", default: 0] += 1 }
        let answer: [String: Any] = [
            "dbUser": options.iamDatabaseUser, "dbPassword": options.databasePassword,
            "expiration": Date().addingTimeInterval(options.databasePasswordLifetime).timeIntervalSince1970,
            "nextRefreshTime": Date().addingTimeInterval(options.databasePasswordLifetime / 2).timeIntervalSince1970,
        ]
        let data = try! JSONSerialization.data(withJSONObject: answer)
        return .init(headers: [("content-type", "application/x-amz-json-1.1")], body: String(decoding: data, as: UTF8.self))
    }

    /// Why the request's SigV4 signature does not hold, or `nil` when it does.
    private func signatureProblem(_ request: StandInHTTPServer.Request, service: String) -> (code: String, message: String)? {
        switch SignatureCheck.verify(request, secrets: state.value.knownSecrets) {
        case .failure(let failure): return (failure.code, failure.message)
        case .success(let scope):
            return scope.service == service ? nil : ("InvalidSignatureException", "signed for \(scope.service), not \(service)")
        }
    }

    static func queryError(_ code: String, _ message: String) -> String {
        "<ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(xmlEscaped(message))</Message></Error><RequestId>standin-err</RequestId></ErrorResponse>"
    }

    public static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
