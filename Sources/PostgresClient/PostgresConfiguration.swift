/// Where and how ``LibpqConnection`` connects: libpq's connection keywords.
///
/// ``description`` never contains the password.
package struct PostgresConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// Host name, address, or socket directory.
    package var host: String
    /// Port; `nil` = libpq's default (5432).
    package var port: Int?
    /// User name; `nil` = libpq's default.
    package var user: String?
    /// Password; `nil` = none (or libpq's password file).
    package var password: String?
    /// Database name.
    package var database: String
    /// Further libpq keywords (e.g. `sslmode`, `sslrootcert`).
    package var options: [String: String]
    /// Shown in `pg_stat_activity.application_name`. Default `rrr`.
    package var applicationName: String
    /// Seconds to wait for the connection. Default 15.
    package var connectTimeoutSeconds: Int

    /// Creates a configuration; see each property for its default.
    package init(host: String, port: Int? = nil, user: String? = nil, password: String? = nil, database: String,
                options: [String: String] = [:], applicationName: String = "rrr", connectTimeoutSeconds: Int = 15) {
        self.host = host; self.port = port; self.user = user; self.password = password; self.database = database
        self.options = options; self.applicationName = applicationName; self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    /// The keyword/value pairs handed to `PQconnectdbParams`, password included.
    var keywords: [(String, String)] {
        var parameters: [(String, String)] = [
            ("host", host), ("dbname", database), ("application_name", applicationName),
            ("connect_timeout", String(connectTimeoutSeconds)), ("client_encoding", "UTF8"),
        ]
        if let port { parameters.append(("port", String(port))) }
        if let user { parameters.append(("user", user)) }
        if let password { parameters.append(("password", password)) }
        for (key, value) in options.sorted(by: { $0.key < $1.key }) { parameters.append((key, value)) }
        for (key, value) in Self.keepaliveDefaults where options[key] == nil { parameters.append((key, value)) }
        return parameters
    }

    /// TCP keepalive probes after 60 s idle, every 10 s, 6 lost = dead: a connection dropped by a
    /// NAT gateway mid-export fails within two minutes instead of the system's two hours (libpq
    /// turns keepalives on but keeps the system's timing). The URL's own keywords win.
    static let keepaliveDefaults = [("keepalives", "1"), ("keepalives_idle", "60"), ("keepalives_interval", "10"), ("keepalives_count", "6")]

    /// `postgres://user@host:port/database`, without the password.
    package var description: String {
        "postgres://" + (user.map { $0 + (password == nil ? "" : ":********") + "@" } ?? "") + host
            + (port.map { ":\($0)" } ?? "") + "/" + database
    }
}
