import Foundation
import S3
import Testing

/// The opt-in contract run: every ``RedshiftBehaviour`` and one rrr replication against the
/// Redshift the `RRR_CONTRACT_*` variables name (a provisioned cluster or a Serverless workgroup, an
/// S3 bucket in its region, and credentials). It never runs by default: without
/// `RRR_CONTRACT_REDSHIFT_HOST` the suite is skipped, under CI too. `scripts/contract` runs it;
/// pointed at the local emulator through the same variables it runs green there as well.
@Suite("Contract: your Redshift (RRR_CONTRACT_*)", .serialized, .enabled(if: ContractTarget.configured))
struct ClusterContractTests {
    @Test(arguments: RedshiftBehaviour.allCases)
    func behaves(_ behaviour: RedshiftBehaviour) async throws {
        try await behaviour.check(on: try ContractTarget.endpoint())
    }

    @Test func rrrReplicatesATableThroughEveryRule() async throws {
        try await ReplicationContract.run(on: try ContractTarget.endpoint())
    }
}

/// The contract run's Redshift, S3 and credentials, from the environment.
enum ContractTarget {
    static let environment = ProcessInfo.processInfo.environment
    static var configured: Bool { environment["RRR_CONTRACT_REDSHIFT_HOST"].map { !$0.isEmpty } ?? false }

    static func value(_ name: String, fallback: String? = nil, default defaultValue: String? = nil) throws -> String {
        if let value = environment[name], !value.isEmpty { return value }
        if let fallback, let value = environment[fallback], !value.isEmpty { return value }
        if let defaultValue { return defaultValue }
        throw ContractSetupError(variable: name)
    }

    static func endpoint() throws -> RedshiftEndpoint {
        let region = try value("RRR_CONTRACT_S3_REGION", fallback: "AWS_REGION", default: "us-east-1")
        var prefix = try value("RRR_CONTRACT_S3_PREFIX", default: "rrr-contract/")
        if !prefix.hasSuffix("/") { prefix += "/" }
        let credentials = AWSCredentials(
            accessKeyID: try value("RRR_CONTRACT_AWS_ACCESS_KEY_ID", fallback: "AWS_ACCESS_KEY_ID"),
            secretAccessKey: try value("RRR_CONTRACT_AWS_SECRET_ACCESS_KEY", fallback: "AWS_SECRET_ACCESS_KEY"),
            sessionToken: try? value("RRR_CONTRACT_AWS_SESSION_TOKEN", fallback: "AWS_SESSION_TOKEN"))
        let host = try value("RRR_CONTRACT_REDSHIFT_HOST")
        return RedshiftEndpoint(
            name: host, host: host, port: Int(try value("RRR_CONTRACT_REDSHIFT_PORT", default: "5439")) ?? 5439,
            user: try value("RRR_CONTRACT_REDSHIFT_USER"), password: try value("RRR_CONTRACT_REDSHIFT_PASSWORD"),
            database: try value("RRR_CONTRACT_REDSHIFT_DATABASE", default: "dev"),
            bucket: try value("RRR_CONTRACT_S3_BUCKET"), keyPrefix: prefix, region: region,
            s3Endpoint: try? value("RRR_CONTRACT_S3_ENDPOINT"), uploadCredentials: credentials,
            iamRole: try? value("RRR_CONTRACT_IAM_ROLE"), schema: try value("RRR_CONTRACT_REDSHIFT_SCHEMA", default: "public"),
            sslMode: try? value("RRR_CONTRACT_REDSHIFT_SSLMODE"), isEmulator: false)
    }
}

struct ContractSetupError: Error, CustomStringConvertible {
    var variable: String
    var description: String { "\(variable) is not set (see README: Checking rrr against your own cluster)" }
}
