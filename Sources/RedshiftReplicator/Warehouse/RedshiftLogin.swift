import AWSAuth
import Foundation

/// Who rrr logs in to Redshift as, and with which password: the configured one, one read from
/// Secrets Manager at each connection, or a temporary one from the Redshift API (IAM
/// authentication), shared by the run's sessions until it is due for renewal.
struct RedshiftLogin: Sendable {
    let settings: ReplicatorConfiguration.Redshift
    let aws: AWSClient
    /// The region of the Redshift and Secrets Manager calls.
    let region: String
    private let temporary = RefreshingCache<RedshiftDatabaseCredentials> { $0.expiration }

    init(settings: ReplicatorConfiguration.Redshift, aws: AWSClient, fallbackRegion: String) {
        self.settings = settings
        self.aws = aws
        self.region = settings.region ?? Self.region(fromHost: settings.host) ?? aws.environment.region ?? fallbackRegion
    }

    /// The user and password for the next connection (`nil` password: the server asks for none).
    func credentials() async throws -> (user: String, password: String?) {
        switch settings.authentication {
        case .password:
            if let password = settings.password { return (settings.user, password.value) }
            guard let secretID = settings.passwordSecret else { return (settings.user, nil) }
            return try await secretPassword(secretID)
        case .iam(let iam):
            let credentials = try await temporary.value { try await self.temporaryCredentials(iam) }
            return (credentials.user, credentials.password.value)
        }
    }

    /// `redshift.password_secret`: a plain password, or Redshift's JSON secret, whose `username`
    /// applies when `redshift.user` is not set.
    private func secretPassword(_ secretID: String) async throws -> (user: String, password: String?) {
        let value: RedactedString
        do { value = try await aws.secretString(secretID, region: region) } catch let error as AWSAuthError {
            throw WarehouseError(.connectionFailed, "redshift.password_secret \(secretID): \(error)")
        }
        var user = settings.user, password = value.value
        if let object = (try? JSONSerialization.jsonObject(with: Data(value.value.utf8))) as? [String: Any] {
            guard let field = object["password"] as? String else {
                throw WarehouseError(.connectionFailed, "redshift.password_secret \(secretID): the JSON secret has no \"password\" field")
            }
            password = field
            if user.isEmpty { user = object["username"] as? String ?? "" }
        }
        guard !user.isEmpty else {
            throw WarehouseError(.connectionFailed, "redshift.user is not set and the secret \(secretID) names no \"username\"")
        }
        return (user, password)
    }

    private func temporaryCredentials(_ iam: RedshiftIAMAuthentication) async throws -> RedshiftDatabaseCredentials {
        do {
            if let workgroup = iam.workgroup {
                return try await aws.serverlessCredentials(workgroup: workgroup, database: settings.database,
                                                           durationSeconds: iam.durationSeconds, region: region)
            }
            let request: AWSClient.ClusterCredentialsRequest = settings.user.isEmpty
                ? .iamIdentity : .databaseUser(settings.user, autoCreate: iam.autoCreate, groups: iam.groups)
            return try await aws.clusterCredentials(request, cluster: iam.clusterIdentifier ?? "", database: settings.database,
                                                    durationSeconds: iam.durationSeconds, region: region)
        } catch let error as AWSAuthError {
            throw WarehouseError(.connectionFailed, "redshift.auth iam: \(error)")
        }
    }

    /// `eu-west-1` from `cluster.abc.eu-west-1.redshift.amazonaws.com` or
    /// `workgroup.123456789012.eu-west-1.redshift-serverless.amazonaws.com`.
    static func region(fromHost host: String) -> String? {
        let labels = host.lowercased().split(separator: ".")
        guard labels.count >= 5, labels.suffix(2) == ["amazonaws", "com"] || labels.suffix(3) == ["amazonaws", "com", "cn"],
              let service = labels.firstIndex(where: { $0 == "redshift" || $0 == "redshift-serverless" }), service > 0
        else { return nil }
        return String(labels[service - 1])
    }
}
