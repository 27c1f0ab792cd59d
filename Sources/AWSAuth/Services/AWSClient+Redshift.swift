import Foundation

/// A database user name and temporary password for Redshift, from its IAM authentication calls.
public struct RedshiftDatabaseCredentials: Sendable, Hashable {
    /// The user to log in as, e.g. `IAM:loader` (Redshift prefixes the name it was asked for).
    public var user: String
    /// The temporary password. Never printed.
    public var password: RedactedString
    /// When the password stops working (an open session keeps going).
    public var expiration: Date?

    /// Creates credentials.
    public init(user: String, password: RedactedString, expiration: Date?) {
        self.user = user
        self.password = password
        self.expiration = expiration
    }
}

extension AWSClient {
    /// The provisioned cluster call and its parameters.
    public enum ClusterCredentialsRequest: Sendable, Hashable {
        /// `GetClusterCredentials`: a named database user, optionally created on first login and
        /// put in groups.
        case databaseUser(String, autoCreate: Bool, groups: [String])
        /// `GetClusterCredentialsWithIAM`: the user is the caller's IAM identity.
        case iamIdentity
    }

    /// Redshift `GetClusterCredentials` or `GetClusterCredentialsWithIAM` (Query protocol, 2012-12-01).
    public func clusterCredentials(_ request: ClusterCredentialsRequest, cluster: String, database: String,
                                   durationSeconds: Int = 900, region: String) async throws -> RedshiftDatabaseCredentials {
        var parameters = [("ClusterIdentifier", cluster), ("DbName", database), ("DurationSeconds", String(durationSeconds))]
        let operation: String
        switch request {
        case .databaseUser(let user, let autoCreate, let groups):
            operation = "GetClusterCredentials"
            parameters.append(("DbUser", user))
            if autoCreate { parameters.append(("AutoCreate", "true")) }
            for (index, group) in groups.enumerated() { parameters.append(("DbGroups.DbGroup.\(index + 1)", group)) }
        case .iamIdentity:
            operation = "GetClusterCredentialsWithIAM"
        }
        let call = AWSAPI.Call(service: .redshift, region: region, endpoint: environment.endpoint(for: .redshift, region: region),
                               operation: operation, callProtocol: .query(version: "2012-12-01"), parameters: parameters)
        let response = try await signedCall(call)
        guard let root = try? XMLNode.parse(response.body), let result = root.child(operation + "Result"),
              let user = result.text(of: "DbUser"), let password = result.text(of: "DbPassword")
        else {
            throw AWSAuthError(code: .invalidResponse, message: "the answer holds no DbUser and DbPassword", operation: call.name)
        }
        return RedshiftDatabaseCredentials(user: user, password: RedactedString(password), expiration: result.text(of: "Expiration").flatMap(AWSTimestamp.parse))
    }

    /// Redshift Serverless `GetCredentials` (JSON protocol, 2021-04-21).
    public func serverlessCredentials(workgroup: String, database: String, durationSeconds: Int = 900,
                                      region: String) async throws -> RedshiftDatabaseCredentials {
        let call = AWSAPI.Call(
            service: .redshiftServerless, region: region, endpoint: environment.endpoint(for: .redshiftServerless, region: region),
            operation: "GetCredentials", callProtocol: .json(targetPrefix: "RedshiftServerless"),
            json: ["workgroupName": workgroup, "dbName": database, "durationSeconds": durationSeconds])
        let response = try await signedCall(call)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any],
              let user = object["dbUser"] as? String, let password = object["dbPassword"] as? String
        else {
            throw AWSAuthError(code: .invalidResponse, message: "the answer holds no dbUser and dbPassword", operation: call.name)
        }
        return RedshiftDatabaseCredentials(user: user, password: RedactedString(password), expiration: AWSTimestamp.parse(json: object["expiration"]))
    }
}
