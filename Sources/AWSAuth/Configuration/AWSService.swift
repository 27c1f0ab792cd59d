/// An AWS service as the SDKs name it: how requests to it are signed and where it lives.
public struct AWSService: Sendable, Hashable {
    /// The SigV4 signing name, e.g. `redshift-serverless`.
    public var signingName: String
    /// The first label of its regional host name, e.g. `secretsmanager`.
    public var endpointPrefix: String
    /// The SDKs' service ID, e.g. `Secrets Manager`; it names the endpoint variable.
    public var serviceID: String

    /// Creates a service description.
    public init(signingName: String, endpointPrefix: String, serviceID: String) {
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.serviceID = serviceID
    }

    /// Amazon S3.
    public static let s3 = AWSService(signingName: "s3", endpointPrefix: "s3", serviceID: "S3")
    /// AWS Security Token Service.
    public static let sts = AWSService(signingName: "sts", endpointPrefix: "sts", serviceID: "STS")
    /// Amazon Redshift (provisioned clusters).
    public static let redshift = AWSService(signingName: "redshift", endpointPrefix: "redshift", serviceID: "Redshift")
    /// Amazon Redshift Serverless.
    public static let redshiftServerless = AWSService(
        signingName: "redshift-serverless", endpointPrefix: "redshift-serverless", serviceID: "Redshift Serverless")
    /// AWS Secrets Manager.
    public static let secretsManager = AWSService(
        signingName: "secretsmanager", endpointPrefix: "secretsmanager", serviceID: "Secrets Manager")

    /// The service-specific endpoint variable: `AWS_ENDPOINT_URL_` + the service ID in upper case,
    /// spaces as underscores (`AWS_ENDPOINT_URL_SECRETS_MANAGER`), as the SDKs name it.
    public var endpointVariable: String {
        "AWS_ENDPOINT_URL_" + serviceID.uppercased().replacingOccurrences(of: " ", with: "_")
    }

    /// AWS's regional endpoint, `https://<prefix>.<region>.amazonaws.com` (`.com.cn` in China).
    public func defaultEndpoint(region: String) -> String {
        "https://\(endpointPrefix).\(region).\(Self.domain(region: region))"
    }

    /// `amazonaws.com.cn` for the China regions, `amazonaws.com` elsewhere.
    package static func domain(region: String) -> String {
        region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    }
}
