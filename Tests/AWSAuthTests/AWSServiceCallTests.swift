import AWSStandIns
import Foundation
import Testing

@testable import AWSAuth

/// The AWS calls rrr makes besides S3, against moto where it implements them (with its SigV4
/// checks on) and against the stand-ins where it does not.
@Suite("AWS calls: STS, Secrets Manager, Redshift")
struct AWSServiceCallTests {
    @Test("STS AssumeRole on moto: signed, parsed, and moto accepts the session token it issued", .requiresMoto)
    func assumeRole() async throws {
        let moto = try MotoServer.required()
        let credentials = try await moto.assumedCredentials()
        #expect(credentials.accessKeyID != moto.credentials.accessKeyID)
        #expect(credentials.sessionToken?.isEmpty == false)
        #expect(try #require(credentials.expiration) > Date().addingTimeInterval(600))
        let client = AWSClient(environment: AWSEnvironment(["AWS_ENDPOINT_URL": moto.endpoint]), credentials: credentials)
        #expect(try await client.secretString(moto.secretID, region: "us-east-1").value.contains("\"username\""))
    }

    @Test("Secrets Manager GetSecretValue on moto: the string, by name or ARN; AWS's code for an unknown one", .requiresMoto)
    func secrets() async throws {
        let moto = try MotoServer.required()
        let client = AWSClient(environment: AWSEnvironment(["AWS_ENDPOINT_URL_SECRETS_MANAGER": moto.endpoint]), credentials: moto.credentials)
        let value = try await client.secretString(moto.secretID, region: "us-east-1")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(value.value.utf8)) as? [String: String])
        #expect(object["username"] != nil && object["password"] != nil)
        #expect("\(value)" == "<redacted>" && !String(reflecting: value).contains(object["password"]!))

        let missing = await #expect(throws: AWSAuthError.self) { try await client.secretString("no/such/secret", region: "us-east-1") }
        #expect(missing?.code == "ResourceNotFoundException")
        #expect(missing?.operation == "Secrets Manager GetSecretValue")
    }

    @Test("a refused signature names the provider and AWS's code, never the secret", .requiresMoto)
    func refusedSignature() async throws {
        let moto = try MotoServer.required()
        let wrong = AWSCredentials(accessKeyID: moto.credentials.accessKeyID, secretAccessKey: "wrong/secret+value",
                                   providerName: "environment (AWS_ACCESS_KEY_ID)")
        let client = AWSClient(environment: AWSEnvironment(["AWS_ENDPOINT_URL": moto.endpoint]), credentials: wrong,
                               retryPolicy: .none)
        let error = await #expect(throws: AWSAuthError.self) { try await client.secretString(moto.secretID, region: "us-east-1") }
        #expect(error?.provider == "environment (AWS_ACCESS_KEY_ID)")
        #expect(error?.code == "SignatureDoesNotMatch" || error?.code == "InvalidSignatureException")
        #expect(error?.description.hasPrefix("AWS credentials from environment (AWS_ACCESS_KEY_ID): Secrets Manager GetSecretValue failed") == true)
        #expect(error.map(allText)?.contains("wrong/secret+value") == false)
    }

    @Test("Redshift GetClusterCredentials on moto: IAM:<user> and a password; ClusterNotFound named", .requiresMoto)
    func clusterCredentialsOnMoto() async throws {
        let moto = try MotoServer.required()
        let client = AWSClient(environment: AWSEnvironment(["AWS_ENDPOINT_URL_REDSHIFT": moto.endpoint]), credentials: moto.credentials)
        let credentials = try await client.clusterCredentials(.databaseUser("loader", autoCreate: false, groups: []),
                                                              cluster: moto.cluster, database: "dev", region: "us-east-1")
        #expect(credentials.user == "IAM:loader")
        #expect(!credentials.password.value.isEmpty && "\(credentials)".contains("<redacted>") && !"\(credentials)".contains(credentials.password.value))
        #expect(try #require(credentials.expiration) > Date().addingTimeInterval(800))
        let created = try await client.clusterCredentials(.databaseUser("loader", autoCreate: true, groups: []),
                                                          cluster: moto.cluster, database: "dev", region: "us-east-1")
        #expect(created.user == "IAMA:loader")
        let unknown = await #expect(throws: AWSAuthError.self) {
            try await client.clusterCredentials(.databaseUser("loader", autoCreate: false, groups: []),
                                                cluster: "no-such-cluster", database: "dev", region: "us-east-1")
        }
        #expect(unknown?.code == "ClusterNotFound")
    }

    @Test("Redshift GetClusterCredentials(WithIAM) and Serverless GetCredentials: parameters, signature, answers")
    func redshiftCallsOnStandIn() async throws {
        let standIn = try await AWSStandIn.start()
        let signing = AWSStandIn.madeUpCredentials(lifetime: 3600)
        standIn.trust(signing)
        let client = AWSClient(environment: AWSEnvironment([
            "AWS_ENDPOINT_URL_REDSHIFT": standIn.endpoint, "AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS": standIn.endpoint,
        ]), credentials: signing)

        let named = try await client.clusterCredentials(.databaseUser("loader", autoCreate: true, groups: ["etl", "readers"]),
                                                        cluster: "analytics", database: "dev", durationSeconds: 1800, region: "eu-west-1")
        #expect(named.user == "IAMA:loader" && named.password.value == standIn.options.databasePassword)
        let form = try #require(standIn.requests.last?.form)
        #expect(form["Action"] == "GetClusterCredentials" && form["Version"] == "2012-12-01")
        #expect(form["ClusterIdentifier"] == "analytics" && form["DbName"] == "dev" && form["DbUser"] == "loader")
        #expect(form["AutoCreate"] == "true" && form["DurationSeconds"] == "1800")
        #expect(form["DbGroups.DbGroup.1"] == "etl" && form["DbGroups.DbGroup.2"] == "readers")
        #expect(standIn.requests.last?.header("authorization")?.contains("/eu-west-1/redshift/aws4_request") == true)
        #expect(standIn.requests.last?.header("x-amz-security-token") == signing.sessionToken)

        let mapped = try await client.clusterCredentials(.iamIdentity, cluster: "analytics", database: "dev", region: "eu-west-1")
        #expect(mapped.user == standIn.options.iamDatabaseUser)
        #expect(standIn.requests.last?.form["Action"] == "GetClusterCredentialsWithIAM" && standIn.requests.last?.form["DbUser"] == nil)

        let serverless = try await client.serverlessCredentials(workgroup: "wg", database: "dev", region: "eu-west-1")
        #expect(serverless.user == standIn.options.iamDatabaseUser && serverless.expiration != nil)
        let call = try #require(standIn.requests.last)
        #expect(call.header("x-amz-target") == "RedshiftServerless.GetCredentials")
        #expect(call.header("content-type") == "application/x-amz-json-1.1")
        #expect(call.header("authorization")?.contains("/eu-west-1/redshift-serverless/aws4_request") == true)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(call.body)) as? [String: Any])
        #expect(body["workgroupName"] as? String == "wg" && body["dbName"] as? String == "dev" && body["durationSeconds"] as? Int == 900)

        // A key the service does not know: AWS's code, with the provider named.
        let stranger = AWSClient(environment: client.environment,
                                 credentials: AWSCredentials(accessKeyID: "AKIDUNKNOWN", secretAccessKey: "s", providerName: "shared files (profile default)"))
        let error = await #expect(throws: AWSAuthError.self) {
            try await stranger.serverlessCredentials(workgroup: "wg", database: "dev", region: "eu-west-1")
        }
        #expect(error?.code == "InvalidClientTokenId" && error?.provider == "shared files (profile default)")
        await standIn.shutdown()
    }
}
