import AsyncSupport
import Logging
import NIOCore

/// What every session of one emulator shares: configuration, event loops, catalog, fault counters.
final class EmulatorContext: Sendable {
    /// The version Redshift reports in ParameterStatus.
    static let serverVersion = "8.0.2"

    let configuration: RedshiftEmulatorConfiguration
    let group: any EventLoopGroup
    let catalog = EmulatorCatalog()
    let faults: FaultInjector
    let objectStoreFactory: LoadObjectStoreFactory
    /// Whether a VACUUM runs (one at a time per cluster; this emulator is one cluster).
    private let vacuuming = Locked(false)

    init(configuration: RedshiftEmulatorConfiguration, group: any EventLoopGroup, objectStoreFactory: @escaping LoadObjectStoreFactory) {
        self.configuration = configuration
        self.group = group
        self.faults = FaultInjector(configuration.faults)
        self.objectStoreFactory = objectStoreFactory
    }

    /// Claims the cluster's one VACUUM slot; false when another VACUUM holds it.
    func vacuumStarting() -> Bool {
        vacuuming.withLock { running in
            if running { return false }
            running = true
            return true
        }
    }

    func vacuumFinished() {
        vacuuming.withLock { $0 = false }
    }

    /// Runs `body` on a fresh backend session of its own: what Redshift records outside the
    /// client's transaction (load errors, last COPY id) survives the client's ROLLBACK.
    func withSideConnection<Result>(logger: Logger, _ body: (BackendConnection) async throws -> Result) async throws -> Result {
        try await BackendConnection.withConnection(
            to: configuration.backend, startupParameters: [("application_name", "redshift-emulator side channel")],
            group: group, logger: logger, body)
    }
}

extension EmulatorContext {
    /// The object store for a COPY: the configured S3 endpoint, with the statement's keys
    /// (IAM_ROLE uses the emulator's configured keys).
    func objectStore(for command: CopyCommand) throws -> any LoadObjectStore {
        let credentials: LoadCredentials
        switch command.authorization {
        case .none:
            throw PGError(code: "42601", message: "COPY from S3 needs authorization")
        case .iamRole:
            guard let id = configuration.iamAccessKeyID, let secret = configuration.iamSecretAccessKey else {
                throw PGError(code: "XX000", message: "IAM_ROLE authorization needs the emulator's --iam-access-key-id and --iam-secret-access-key")
            }
            credentials = LoadCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: nil)
        case .keys(let id, let secret, let token):
            credentials = LoadCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
        }
        guard configuration.s3Endpoint != nil else {
            throw PGError(code: "XX000", message: "the emulator has no S3 endpoint configured (--s3-endpoint)")
        }
        return try objectStoreFactory(credentials, command.region ?? configuration.s3Region)
    }
}
