import AWSAuth
import Foundation

/// Verifies a received request's SigV4 `Authorization` header as AWS does: the canonical request
/// rebuilt from what arrived (method, path, query, the signed headers, the body's hash), signed
/// again with the secret of the access key it names.
public enum SignatureCheck {
    /// Who signed, for what.
    public struct Scope: Sendable, Equatable {
        public var accessKeyID: String
        public var region: String
        public var service: String
    }

    /// Why a signature does not hold, with AWS's error code.
    public struct Failure: Error, Sendable {
        public var code: String
        public var message: String
    }

    public static func verify(_ request: StandInHTTPServer.Request, secrets: [String: String]) -> Result<Scope, Failure> {
        guard let authorization = request.header("authorization"), authorization.hasPrefix("AWS4-HMAC-SHA256 ") else {
            return .failure(Failure(code: "MissingAuthenticationToken", message: "the request is not signed"))
        }
        var fields: [String: String] = [:]
        for part in authorization.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        let scope = (fields["Credential"] ?? "").split(separator: "/").map(String.init)
        guard scope.count == 5, scope[4] == "aws4_request", let signedHeaders = fields["SignedHeaders"],
              let signature = fields["Signature"], let amzDate = request.header("x-amz-date"), let date = parse(amzDate)
        else {
            return .failure(Failure(code: "IncompleteSignature", message: "the Authorization header is incomplete"))
        }
        guard let secret = secrets[scope[0]] else {
            return .failure(Failure(code: "InvalidClientTokenId", message: "The security token included in the request is invalid"))
        }
        let names = signedHeaders.split(separator: ";").map(String.init)
        let headers = request.headers.filter { names.contains($0.name.lowercased()) }
        var query: [QueryItem] = []
        if let raw = request.uri.split(separator: "?", maxSplits: 1).dropFirst().first {
            for pair in raw.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                query.append(QueryItem(parts[0], parts.count > 1 ? parts[1] : ""))
            }
        }
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: scope[0], secretAccessKey: secret), region: scope[2], service: scope[3])
        let canonical = signer.canonicalRequest(
            SigV4Signer.Request(method: request.method, host: request.header("host") ?? "", path: request.path, query: query, headers: headers),
            payloadHash: request.header("x-amz-content-sha256") ?? SigV4Signer.payloadHash(request.body))
        let amz = AmzDate(date)
        let expected = signer.signature(stringToSign: signer.stringToSign(canonicalRequest: canonical.text, date: amz), date: amz)
        guard expected == signature, canonical.signedHeaders == signedHeaders else {
            return .failure(Failure(code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided"))
        }
        return .success(Scope(accessKeyID: scope[0], region: scope[2], service: scope[3]))
    }

    /// `20240501T100000Z`.
    static func parse(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)
    }
}
