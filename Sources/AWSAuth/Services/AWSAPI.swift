import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends the few AWS API calls rrr makes (STS, Secrets Manager, Redshift) and the plain HTTP
/// requests of the credential endpoints (instance metadata, container credentials).
///
/// AWS calls are signed with SigV4 (or sent unsigned, as `AssumeRoleWithWebIdentity`), retried
/// with jittered backoff on throttling, 5xx answers and dropped connections, and their error
/// answers (Query-protocol XML or JSON) become ``AWSAuthError``s carrying AWS's code.
package struct AWSAPI: Sendable {
    package var httpClient: HTTPClient
    package var retryPolicy: RetryPolicy
    /// How long one attempt may take. Default 30 seconds.
    package var timeout: Duration

    package init(httpClient: HTTPClient = .shared, retryPolicy: RetryPolicy = .default, timeout: Duration = .seconds(30)) {
        self.httpClient = httpClient
        self.retryPolicy = retryPolicy
        self.timeout = timeout
    }

    /// An answer: status, headers and the whole (small) body.
    package struct Response: Sendable {
        package var status: Int
        package var headers: HTTPHeaders
        package var body: [UInt8]
        package var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// How an AWS API call encodes its parameters.
    package enum CallProtocol: Sendable {
        /// `application/x-www-form-urlencoded` with `Action` and `Version` (STS, Redshift); XML answers.
        case query(version: String)
        /// `application/x-amz-json-1.1` with `X-Amz-Target: <prefix>.<operation>` (Secrets Manager,
        /// Redshift Serverless); JSON answers.
        case json(targetPrefix: String)
    }

    /// One AWS API call.
    package struct Call: Sendable {
        package var service: AWSService
        package var region: String
        /// The endpoint URL, `https://host[:port]` (a path is kept as the request path).
        package var endpoint: String
        package var operation: String
        package var callProtocol: CallProtocol
        /// Query: the parameters besides Action and Version. JSON: ignored.
        package var parameters: [(String, String)] = []
        /// JSON: the request object.
        package var json: [String: any Sendable] = [:]

        package init(service: AWSService, region: String, endpoint: String, operation: String, callProtocol: CallProtocol,
                     parameters: [(String, String)] = [], json: [String: any Sendable] = [:]) {
            self.service = service
            self.region = region
            self.endpoint = endpoint
            self.operation = operation
            self.callProtocol = callProtocol
            self.parameters = parameters
            self.json = json
        }

        /// `STS AssumeRole`, for errors.
        package var name: String { "\(service.serviceID) \(operation)" }
    }

    /// Makes an AWS API call; `credentials` `nil` sends it unsigned.
    /// - Returns: the 2xx answer.
    /// - Throws: ``AWSAuthError`` with AWS's code for error answers, ``AWSAuthError/Code/connectionFailed``
    ///   when the endpoint cannot be reached.
    package func call(_ call: Call, credentials: AWSCredentials?) async throws -> Response {
        guard let url = URLComponents(string: call.endpoint), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            throw AWSAuthError(code: .invalidConfiguration, message: "endpoint \"\(call.endpoint)\" is not an http(s) URL", operation: call.name)
        }
        let defaultPort = scheme == "https" ? 443 : 80
        let hostHeader = (host.contains(":") ? "[\(host)]" : host) + (url.port.map { $0 == defaultPort ? "" : ":\($0)" } ?? "")
        let path = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
        var headers: [(name: String, value: String)] = [("host", hostHeader)]
        let body: [UInt8]
        switch call.callProtocol {
        case .query(let version):
            let items = [QueryItem("Action", call.operation), QueryItem("Version", version)] + call.parameters.map { QueryItem($0.0, $0.1) }
            body = Array(SigV4Encoding.wireQuery(items).utf8)
            headers.append(("content-type", "application/x-www-form-urlencoded; charset=utf-8"))
        case .json(let prefix):
            body = try JSONSerialization.data(withJSONObject: call.json, options: [.sortedKeys]).map { $0 }
            headers.append(("content-type", "application/x-amz-json-1.1"))
            headers.append(("x-amz-target", "\(prefix).\(call.operation)"))
        }
        let payloadHash = SigV4Signer.payloadHash(body)
        let target = "\(scheme)://\(hostHeader)\(path)"
        var attempt = 1
        while true {
            do {
                var signed = headers
                if let credentials {
                    let signer = SigV4Signer(credentials: credentials, region: call.region, service: call.service.signingName)
                    signed += signer.signingHeaders(
                        for: .init(method: "POST", host: hostHeader, path: path, headers: headers), payloadHash: payloadHash, date: Date())
                }
                let response = try await send(url: target, method: .POST, headers: signed, body: body, timeout: timeout)
                if (200..<300).contains(response.status) { return response }
                throw Self.error(from: response, call: call)
            } catch {
                if Task.isCancelled || error is CancellationError { throw CancellationError() }
                let failure = error as? AWSAuthError
                    ?? AWSAuthError(code: .connectionFailed, message: "\(target) did not answer", operation: call.name, underlying: error)
                let retryable = error is AWSAuthError
                    ? RetryPolicy.isRetryable(code: failure.code.rawValue, httpStatus: failure.httpStatus)
                    : RetryPolicy.isRetryableTransportError(error)
                guard retryable, attempt < retryPolicy.maximumAttempts else { throw failure }
                try await Task.sleep(for: retryPolicy.delay(beforeRetry: attempt))
                attempt += 1
            }
        }
    }

    /// Sends one plain HTTP request (no signing, no retry) and reads its answer.
    package func send(url: String, method: HTTPMethod, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
                      timeout: Duration) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for header in headers where header.name != "host" { request.headers.add(name: header.name, value: header.value) }
        if let host = headers.first(where: { $0.name == "host" }) { request.headers.replaceOrAdd(name: "host", value: host.value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await httpClient.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
        let collected = try await response.body.collect(upTo: 1024 * 1024)
        return Response(status: Int(response.status.code), headers: response.headers, body: Array(collected.readableBytesView))
    }

    /// AWS's error answer as an ``AWSAuthError``: `{"__type": …, "message": …}` from JSON services,
    /// `<ErrorResponse><Error><Code/><Message/></Error>` from Query ones. Both are tried whatever the
    /// protocol: authentication failures can come from a front end that speaks XML.
    static func error(from response: Response, call: Call) -> AWSAuthError {
        var code: String?
        var message = ""
        var requestID = response.headers.first(name: "x-amzn-requestid") ?? response.headers.first(name: "x-amz-request-id")
        if let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] {
            code = (object["__type"] as? String) ?? (object["code"] as? String) ?? (object["Code"] as? String)
            message = (object["message"] as? String) ?? (object["Message"] as? String) ?? ""
        } else if let root = try? XMLNode.parse(response.body) {
            let error = root.child("Error") ?? root.child("Errors")?.child("Error") ?? root
            code = error.text(of: "Code")
            message = error.text(of: "Message") ?? ""
            requestID = root.text(of: "RequestId") ?? root.text(of: "RequestID") ?? requestID
        }
        code = code ?? response.headers.first(name: "x-amzn-errortype")
        // `com.amazonaws.secretsmanager#ResourceNotFoundException`, or `Code:http://…`.
        code = code.map { String($0.split(separator: "#").last ?? Substring($0)).components(separatedBy: ":")[0] }
        return AWSAuthError(
            code: AWSAuthError.Code(code ?? "HTTP\(response.status)"), message: message, operation: call.name,
            httpStatus: response.status, requestID: requestID)
    }
}
