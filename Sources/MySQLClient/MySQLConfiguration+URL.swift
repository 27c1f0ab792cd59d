extension MySQLConfiguration {
    /// Parses `mysql://user:password@host:port/database?option=value&...` (also `mariadb://`).
    ///
    /// User, password and database may be percent-encoded; the port defaults to 3306; an IPv6 host is
    /// written in brackets. Options: `socket=<path>` (connect through that Unix socket instead of
    /// TCP), `ssl-mode=DISABLED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY`, `ssl-ca`, `ssl-cert`, `ssl-key`,
    /// `connect-timeout` (seconds), `net-write-timeout` (seconds).
    /// - Throws: ``MySQLError`` with code `.invalidConfiguration`; the message never repeats the URL.
    package init(url: String) throws {
        func invalid(_ why: String) -> MySQLError { MySQLError(.invalidConfiguration, "MySQL URL: \(why)") }
        guard let schemeEnd = url.firstRange(of: "://"),
            ["mysql", "mariadb"].contains(url[..<schemeEnd.lowerBound].lowercased())
        else { throw invalid("expected the scheme mysql:// or mariadb://") }
        var rest = Substring(url[schemeEnd.upperBound...])
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var username = "", password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                username = try Self.percentDecoded(userInfo[..<colon], what: "user name")
                password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...], what: "password")
            } else {
                username = try Self.percentDecoded(userInfo, what: "user name")
            }
        }
        var host = String(rest), port = 3306
        if let close = rest.lastIndex(of: "]"), rest.first == "[" {
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.first == ":" { port = try Self.port(rest.dropFirst()) }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            port = try Self.port(rest[rest.index(after: colon)...])
        }
        let database = try Self.percentDecoded(path, what: "database")
        guard !username.isEmpty else { throw invalid("no user name") }
        guard !database.isEmpty else { throw invalid("no database") }

        var endpoint = Endpoint.tcp(host: host.isEmpty ? "127.0.0.1" : host, port: port)
        var tls = TLS.disabled
        var connectTimeout = 10, netWriteTimeout = 3600, readTimeout = 3600, writeTimeout = 3600, keepaliveIdle = 60
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let key = parts[0].lowercased()
            let value = try Self.percentDecoded(parts.count > 1 ? parts[1] : "", what: key)
            switch key {
            case "socket": endpoint = .unixSocket(path: value)
            case "ssl-mode", "sslmode":
                guard let mode = TLS.Mode(rawValue: value.uppercased()) else {
                    throw invalid("unknown ssl-mode \(value) (DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY)")
                }
                tls.mode = mode
            case "ssl-ca": tls.certificateAuthorityFile = value
            case "ssl-cert": tls.certificateFile = value
            case "ssl-key": tls.keyFile = value
            case "connect-timeout": connectTimeout = try Self.seconds(value, option: key)
            case "net-write-timeout": netWriteTimeout = try Self.seconds(value, option: key)
            case "read-timeout": readTimeout = try Self.seconds(value, option: key)
            case "write-timeout": writeTimeout = try Self.seconds(value, option: key)
            case "keepalive-idle": keepaliveIdle = try Self.seconds(value, option: key)
            default: throw invalid("unknown option \(key)")
            }
        }
        self.init(
            endpoint: endpoint, username: username, password: password, database: database, tls: tls,
            connectTimeoutSeconds: connectTimeout, netWriteTimeoutSeconds: netWriteTimeout)
        readTimeoutSeconds = readTimeout
        writeTimeoutSeconds = writeTimeout
        keepaliveIdleSeconds = keepaliveIdle
    }

    private static func port(_ text: Substring) throws -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw MySQLError(.invalidConfiguration, "MySQL URL: the port is not a number from 1 to 65535")
        }
        return port
    }

    private static func seconds(_ text: String, option: String) throws -> Int {
        guard let seconds = Int(text), seconds > 0 else {
            throw MySQLError(.invalidConfiguration, "MySQL URL: \(option) must be a positive number of seconds")
        }
        return seconds
    }

    /// Decodes `%XX` escapes; `what` names the part in the error (never its value: it may be a password).
    private static func percentDecoded(_ text: Substring, what: String) throws -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high < utf8.endIndex, utf8.index(after: high) < utf8.endIndex,
                    let value = UInt8(String(decoding: utf8[high...utf8.index(after: high)], as: UTF8.self), radix: 16)
                else { throw MySQLError(.invalidConfiguration, "MySQL URL: bad percent-encoding in the \(what)") }
                bytes.append(value)
                index = utf8.index(high, offsetBy: 2)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
