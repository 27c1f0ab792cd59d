/// Where and how to connect to MySQL or MariaDB. Prints with the password redacted.
///
/// Every connection uses the `utf8mb4` character set and the session time zone `+00:00`, so
/// TIMESTAMP values are exported in UTC (DATETIME values, which have no zone, as stored).
package struct MySQLConfiguration: Sendable, Hashable {
    /// How to reach the server.
    package enum Endpoint: Sendable, Hashable {
        /// TCP to `host:port` (MySQL's default port is 3306).
        case tcp(host: String, port: Int)
        /// A Unix domain socket file.
        case unixSocket(path: String)
    }

    /// Transport encryption, as MySQL's `--ssl-mode` names it.
    package struct TLS: Sendable, Hashable {
        /// The `ssl-mode` values.
        package enum Mode: String, Sendable, Hashable, CaseIterable {
            /// No TLS.
            case disabled = "DISABLED"
            /// TLS required (`MYSQL_OPT_SSL_ENFORCE`, and checked after connecting since libmariadb 3.3
            /// would otherwise fall back to clear text); the server's certificate is not checked.
            case required = "REQUIRED"
            /// TLS required and the certificate checked against ``TLS/certificateAuthorityFile``. libmariadb
            /// 3.3 cannot check the chain alone, so the host name is verified too (as `verifyIdentity`).
            case verifyCA = "VERIFY_CA"
            /// As `verifyCA`, and the certificate must name the host (`MYSQL_OPT_SSL_VERIFY_SERVER_CERT`).
            case verifyIdentity = "VERIFY_IDENTITY"
        }
        /// The mode; default `.disabled`.
        package var mode: Mode
        /// PEM file of trusted certificate authorities (`ssl-ca`), default none.
        package var certificateAuthorityFile: String?
        /// PEM client certificate (`ssl-cert`) and its key (`ssl-key`), default none.
        package var certificateFile: String?
        package var keyFile: String?

        /// Creates a TLS setting; every file defaults to none.
        package init(
            mode: Mode, certificateAuthorityFile: String? = nil, certificateFile: String? = nil,
            keyFile: String? = nil
        ) {
            self.mode = mode
            self.certificateAuthorityFile = certificateAuthorityFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }

        /// No TLS.
        package static let disabled = TLS(mode: .disabled)
        /// TLS without certificate checks.
        package static let required = TLS(mode: .required)
    }

    /// The server's address.
    package var endpoint: Endpoint
    /// The user name.
    package var username: String
    /// The password; never printed. Default none.
    package var password: String?
    /// The default database (schema) of the session.
    package var database: String
    /// Transport encryption, default ``TLS/disabled``.
    package var tls: TLS
    /// Seconds to wait for the connection to open, default 10.
    package var connectTimeoutSeconds: Int
    /// The session's `net_write_timeout` in seconds, default 3600: how long the server waits for us to
    /// read a streamed result while the export's sink applies backpressure.
    package var netWriteTimeoutSeconds: Int

    /// Seconds the client waits for each read from the server (`MYSQL_OPT_READ_TIMEOUT`), default
    /// 3600: a server that stopped answering ends the wait instead of holding the table's lock.
    package var readTimeoutSeconds: Int = 3600
    /// Seconds the client waits for each write to the server (`MYSQL_OPT_WRITE_TIMEOUT`), default 3600.
    package var writeTimeoutSeconds: Int = 3600
    /// Seconds idle before TCP keepalive probes (then every 10 s, 6 lost = dead), default 60.
    package var keepaliveIdleSeconds: Int = 60

    /// Creates a configuration from fields; see the properties for defaults.
    package init(
        endpoint: Endpoint, username: String, password: String? = nil, database: String,
        tls: TLS = .disabled, connectTimeoutSeconds: Int = 10, netWriteTimeoutSeconds: Int = 3600
    ) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.netWriteTimeoutSeconds = netWriteTimeoutSeconds
    }
}

extension MySQLConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `mysql://user:********@host:port/database?ssl-mode=...`: the password is always redacted.
    package var description: String {
        let secret = password == nil ? "" : ":********"
        let place: String
        var options = ["ssl-mode=\(tls.mode.rawValue)"]
        switch endpoint {
        case .tcp(let host, let port): place = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unixSocket(let path):
            place = "localhost"
            options.insert("socket=\(path)", at: 0)
        }
        return "mysql://\(username)\(secret)@\(place)/\(database)?\(options.joined(separator: "&"))"
    }

    package var debugDescription: String { "MySQLConfiguration(\(description))" }

    /// Mirrors the redacted description, so `dump` cannot show the password either.
    package var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
