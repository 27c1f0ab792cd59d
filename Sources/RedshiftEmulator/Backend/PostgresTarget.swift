import Foundation

/// Where the backing PostgreSQL database is and how to log in; parsed from a
/// `postgres://user:password@host:port/database` URL. Prints without its password.
public struct PostgresTarget: Sendable, CustomStringConvertible {
    /// Host name or address (default `127.0.0.1`).
    public var host: String
    /// Port (default 5432).
    public var port: Int
    public var user: String
    /// Never printed.
    public var password: String?
    public var database: String

    public init(host: String = "127.0.0.1", port: Int = 5432, user: String, password: String?, database: String) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    /// Parses `postgres://user[:password]@host[:port]/database` (also `postgresql://`).
    public init(url: String) throws {
        guard let components = URLComponents(string: url),
              components.scheme == "postgres" || components.scheme == "postgresql",
              let user = components.user, !user.isEmpty
        else { throw EmulatorConfigurationError(setting: "postgres", reason: "expected postgres://user:password@host:port/database") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        self.init(host: components.host ?? "127.0.0.1", port: components.port ?? 5432,
                  user: user.removingPercentEncoding ?? user,
                  password: components.password.map { $0.removingPercentEncoding ?? $0 },
                  database: database.isEmpty ? user : database)
    }

    public var description: String { "postgres://\(user):****@\(host):\(port)/\(database)" }
}

/// A setting of the emulator is missing or malformed.
public struct EmulatorConfigurationError: Error, CustomStringConvertible {
    /// The flag or environment setting concerned, e.g. `postgres`.
    public var setting: String
    public var reason: String
    public var description: String { "redshift-emulator setting '\(setting)': \(reason)" }
}
