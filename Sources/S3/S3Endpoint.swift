import AWSAuth
import Foundation

/// The parsed endpoint of a store, and how a bucket and key become a host and path on it.
struct S3Endpoint: Sendable, Equatable {
    var scheme: String
    /// The host name or address, IPv6 addresses in brackets.
    var host: String
    /// The port, only when it is not the scheme's default (so it appears in `Host`, as signed).
    var port: Int?
    /// Whether the endpoint was configured (an S3-compatible store) rather than AWS's default.
    var isCustom: Bool

    /// Parses the configured endpoint, or builds AWS's regional one.
    init(endpoint: String?, region: String) throws(S3Error) {
        guard let endpoint else {
            self.init(scheme: "https", host: "s3.\(region).\(AWSService.domain(region: region))", port: nil, isCustom: false)
            return
        }
        guard let components = URLComponents(string: endpoint),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty,
              components.path.isEmpty || components.path == "/", components.query == nil
        else {
            throw S3Error(
                code: .invalidConfiguration,
                message: "endpoint \"\(endpoint)\" is not an http(s)://host[:port] URL without path or query"
            )
        }
        let defaultPort = scheme == "https" ? 443 : 80
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        self.init(
            scheme: scheme, host: bracketed,
            port: components.port.flatMap { $0 == defaultPort ? nil : $0 }, isCustom: true
        )
    }

    /// The same store for a bucket in `region`: AWS's endpoint of that region, or the custom one unchanged.
    func inRegion(_ region: String) -> S3Endpoint {
        isCustom ? self : S3Endpoint(scheme: "https", host: "s3.\(region).\(AWSService.domain(region: region))", port: nil, isCustom: false)
    }

    init(scheme: String, host: String, port: Int?, isCustom: Bool) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.isCustom = isCustom
    }

    /// Where a request for this bucket and key goes: the `Host` value and the URI-encoded path.
    func location(bucket: String?, key: String?, style: S3Client.AddressingStyle) -> (host: String, path: String) {
        let encodedKey = key.map { SigV4Encoding.uriEncode($0, keepSlash: true) }
        let portSuffix = port.map { ":\($0)" } ?? ""
        guard let bucket else { return (host + portSuffix, "/") }
        if usesVirtualHost(bucket: bucket, style: style) {
            return ("\(bucket).\(host)\(portSuffix)", "/" + (encodedKey ?? ""))
        }
        let bucketPath = "/" + SigV4Encoding.uriEncode(bucket)
        return (host + portSuffix, encodedKey.map { "\(bucketPath)/\($0)" } ?? bucketPath)
    }

    /// The full URL to send, from a location and an already-encoded query string.
    func url(host: String, path: String, query: String) -> String {
        "\(scheme)://\(host)\(path)" + (query.isEmpty ? "" : "?\(query)")
    }

    private func usesVirtualHost(bucket: String, style: S3Client.AddressingStyle) -> Bool {
        switch style {
        case .path: false
        case .virtualHosted: true
        case .automatic: !isCustom && Self.isPlainDNSLabel(bucket)
        }
    }

    /// A bucket name usable as one DNS label: 3-63 lowercase letters, digits and inner hyphens.
    static func isPlainDNSLabel(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else {
            return false
        }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }
}
