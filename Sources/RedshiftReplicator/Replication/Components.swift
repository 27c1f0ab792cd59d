import Foundation

/// Builds the pipeline's parts from the configuration: the source by URL scheme, the warehouse,
/// and the staging store.
struct Components: Sendable {
    let configuration: ReplicatorConfiguration
    let warehouse: RedshiftWarehouse

    init(configuration: ReplicatorConfiguration) {
        self.configuration = configuration
        self.warehouse = RedshiftWarehouse(settings: configuration.redshift)
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
        try S3StagingStore(storage: configuration.storage)
    }
}
