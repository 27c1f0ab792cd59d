import AWSAuth
import Foundation

/// Builds the pipeline's parts from the configuration: the source by URL scheme, the warehouse,
/// and the staging store.
struct Components: Sendable {
    let configuration: ReplicatorConfiguration
    let warehouse: RedshiftWarehouse
    /// Every AWS call of the run (S3, Secrets Manager, Redshift API) shares its credential chain.
    let aws: AWSClient

    init(configuration: ReplicatorConfiguration) {
        self.configuration = configuration
        self.aws = configuration.makeAWSClient()
        self.warehouse = RedshiftWarehouse(
            settings: configuration.redshift,
            login: RedshiftLogin(settings: configuration.redshift, aws: aws, fallbackRegion: configuration.storage.region))
    }

    /// The source for the configured URL's scheme.
    func makeSource() throws -> any ReplicationSource {
        switch configuration.source.scheme {
        case "postgres", "postgresql": return PostgresSource(url: configuration.source)
        case "mysql", "mariadb": return try MySQLSource(url: configuration.source)
        case "sqlite": return SQLiteSource(url: configuration.source)
        default:
            throw SourceError(.unsupportedSource, "source.url: `\(configuration.source.scheme)://` sources are not supported (supported: postgres://, mysql://, mariadb://, sqlite:)")
        }
    }

    /// The S3 staging store.
    func makeStaging() throws -> any StagingStore {
        S3StagingStore(storage: configuration.storage, aws: aws)
    }
}
