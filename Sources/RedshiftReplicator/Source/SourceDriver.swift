/// A kind of source database: the URL schemes it reads and how a ``ReplicationSource`` is opened
/// for a URL. Everything else of that database (its dialect, bounds, history table, delete
/// tracking and table lock) is the source's, behind ``ReplicationSource`` and
/// ``DeleteTrackingSource``.
///
/// rrr's drivers are ``postgres``, ``mysql`` and ``sqlite`` (``builtIn``). Bring your own by
/// passing another to ``Replicator/init(configuration:drivers:)``:
/// ```swift
/// let oracle = SourceDriver(name: "Oracle", schemes: ["oracle"]) { url in try OracleSource(url: url) }
/// let replicator = Replicator(configuration: configuration, drivers: SourceDriver.builtIn + [oracle])
/// ```
public struct SourceDriver: Sendable {
    /// The database's name, for messages.
    public var name: String
    /// The URL schemes this driver reads (lower case), e.g. `postgres` and `postgresql`.
    public var schemes: Set<String>
    /// Opens a source for a URL of one of ``schemes``; it connects lazily, on first use.
    public var open: @Sendable (DatabaseURL) throws -> any ReplicationSource

    /// Creates a driver.
    public init(name: String, schemes: Set<String>, open: @escaping @Sendable (DatabaseURL) throws -> any ReplicationSource) {
        self.name = name; self.schemes = schemes; self.open = open
    }

    /// PostgreSQL through libpq (`postgres://`, `postgresql://`).
    public static let postgres = SourceDriver(name: "PostgreSQL", schemes: ["postgres", "postgresql"]) { PostgresSource(url: $0) }
    /// MySQL and MariaDB through libmariadb (`mysql://`, `mariadb://`).
    public static let mysql = SourceDriver(name: "MySQL/MariaDB", schemes: ["mysql", "mariadb"]) { try MySQLSource(url: $0) }
    /// A SQLite file (`sqlite:`, or a bare path ending in `.sqlite`, `.sqlite3` or `.db`).
    public static let sqlite = SourceDriver(name: "SQLite", schemes: ["sqlite"]) { SQLiteSource(url: $0) }

    /// The drivers rrr ships: PostgreSQL, MySQL/MariaDB, SQLite.
    public static let builtIn: [SourceDriver] = [.postgres, .mysql, .sqlite]
}

extension [SourceDriver] {
    /// Opens the source for `url` with the driver of its scheme.
    /// - Throws: ``SourceError`` `.unsupportedSource` naming the supported schemes.
    func openSource(_ url: DatabaseURL) throws -> any ReplicationSource {
        guard let driver = first(where: { $0.schemes.contains(url.scheme.lowercased()) }) else {
            let supported = flatMap { $0.schemes.sorted() }.map { $0 == "sqlite" ? "sqlite:" : "\($0)://" }.joined(separator: ", ")
            throw SourceError(.unsupportedSource, "source.url: `\(url.scheme)://` sources are not supported (supported: \(supported))")
        }
        return try driver.open(url)
    }
}
