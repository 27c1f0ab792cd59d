import AWSAuth
import Foundation

/// The stack's moto server (`scripts/stack up`): S3, STS, Secrets Manager, Redshift, with SigV4
/// checks on, from the variables its env file sets.
public struct MotoServer: Sendable {
    public var endpoint: String
    public var credentials: AWSCredentials
    public var roleARN: String
    public var cluster: String
    public var secretID: String
    public var bucket: String

    static let names = ["RRR_TEST_S3_ENDPOINT", "RRR_TEST_S3_ACCESS_KEY_ID", "RRR_TEST_S3_SECRET_ACCESS_KEY",
                        "RRR_TEST_AWS_ROLE_ARN", "RRR_TEST_REDSHIFT_CLUSTER", "RRR_TEST_REDSHIFT_SECRET_ID", "RRR_TEST_S3_BUCKET"]

    public static let current: MotoServer? = {
        let environment = ProcessInfo.processInfo.environment
        let values = names.compactMap { environment[$0].flatMap { $0.isEmpty ? nil : $0 } }
        guard values.count == names.count else { return nil }
        return MotoServer(endpoint: values[0], credentials: AWSCredentials(accessKeyID: values[1], secretAccessKey: values[2]),
                          roleARN: values[3], cluster: values[4], secretID: values[5], bucket: values[6])
    }()

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    public static func required() throws -> MotoServer {
        guard let current else { throw MissingServer(variables: names) }
        return current
    }

    /// Temporary credentials moto's STS issues for the stack's role: moto's S3 and APIs accept them.
    public func assumedCredentials(sessionName: String = "rrr-tests") async throws -> AWSCredentials {
        let sts = STS(api: AWSAPI(), environment: AWSEnvironment(["AWS_ENDPOINT_URL_STS": endpoint]), region: "us-east-1")
        return try await sts.assumeRole(roleARN: roleARN, sessionName: sessionName, credentials: credentials)
    }
}

public struct MissingServer: Error, CustomStringConvertible {
    public var variables: [String]
    public init(variables: [String]) { self.variables = variables }
    public var description: String { "moto is not configured: set \(variables.joined(separator: ", ")) (scripts/stack up; source its env file)" }
}

/// A scratch folder standing in for `$HOME`, so no test reads the machine's own `~/.aws`.
public struct ScratchHome: Sendable {
    public let path: String

    public init() throws {
        path = NSTemporaryDirectory() + "rrr-aws-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
    }

    /// Writes a file under the folder and returns its path.
    @discardableResult
    public func write(_ relativePath: String, _ text: String, executable: Bool = false) throws -> String {
        let full = path + "/" + relativePath
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: full) }
        return full
    }

    /// Variables isolating AWS lookups: this `HOME`, instance metadata off unless asked, plus `extra`.
    public func environment(_ extra: [String: String] = [:], metadata: Bool = false) -> AWSEnvironment {
        var variables = ["HOME": path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        if !metadata { variables["AWS_EC2_METADATA_DISABLED"] = "true" }
        variables.merge(extra) { $1 }
        return AWSEnvironment(variables)
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

