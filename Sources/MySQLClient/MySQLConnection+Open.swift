import CMariaDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// libmariadb's one-time global setup, which is not thread-safe, done once before the first handle.
private let libraryReady: Bool = mysql_server_init(0, nil, nil) == 0

extension MySQLConnection {
    /// Creates the handle, sets options, connects. Runs on the connection's thread.
    func open(_ configuration: MySQLConfiguration, logger: Logger) throws {
        guard libraryReady, let mysql = mysql_init(nil) else {
            throw MySQLError(.connectionFailed, "libmariadb could not be initialised")
        }
        handle = mysql
        var timeout = UInt32(clamping: configuration.connectTimeoutSeconds)
        mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout)
        // A read or write waiting longer fails the call (libmariadb retries a read timeout once,
        // so a dead server is noticed after about twice the read timeout).
        readTimeoutSeconds = max(1, configuration.readTimeoutSeconds)
        var readTimeout = UInt32(clamping: configuration.readTimeoutSeconds)
        mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &readTimeout)
        var writeTimeout = UInt32(clamping: configuration.writeTimeoutSeconds)
        mysql_options(mysql, MYSQL_OPT_WRITE_TIMEOUT, &writeTimeout)
        mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        // Run again by libmariadb on any reconnect, so the session settings always hold.
        let setup = "SET time_zone = '+00:00', net_write_timeout = \(max(1, configuration.netWriteTimeoutSeconds))"
        mysql_options(mysql, MYSQL_INIT_COMMAND, setup)
        try applyTLS(configuration.tls, to: mysql)

        var host: String?, port: UInt32 = 0, socket: String?
        var protocolType: UInt32
        switch configuration.endpoint {
        case .tcp(let name, let number):
            host = name
            port = UInt32(clamping: number)
            protocolType = MYSQL_PROTOCOL_TCP.rawValue
        case .unixSocket(let path):
            host = "localhost"
            socket = path
            protocolType = MYSQL_PROTOCOL_SOCKET.rawValue
        }
        mysql_options(mysql, MYSQL_OPT_PROTOCOL, &protocolType)
        let connected = mysql_real_connect(
            mysql, host, configuration.username, configuration.password, configuration.database, port, socket, 0)
        guard connected != nil else {
            let error = lastError(.connectionFailed, table: nil)
            close()
            logger.debug("mysql connect failed", metadata: ["rrr_mysql": "\(configuration)", "rrr_error": "\(error)"])
            throw error
        }
        if case .tcp = configuration.endpoint { setKeepalive(mysql, idleSeconds: configuration.keepaliveIdleSeconds) }
        // libmariadb 3.3 honours MYSQL_OPT_SSL_ENFORCE only together with certificate verification: with
        // REQUIRED alone it silently continues in clear text when the server lacks TLS. Check ourselves.
        if configuration.tls.mode != .disabled, mysql_get_ssl_cipher(mysql) == nil {
            close()
            throw MySQLError(
                .connectionFailed, "ssl-mode \(configuration.tls.mode.rawValue): the server did not negotiate TLS")
        }
        logger.debug("mysql connected", metadata: [
            "rrr_mysql": "\(configuration)", "rrr_mysql_server": "\(String(cString: mysql_get_server_info(mysql)))",
        ])
    }

    /// TCP keepalive probes after `idleSeconds` idle, every 10 s, 6 lost = dead (libmariadb turns
    /// keepalives on with the system's two-hour timing): a connection dropped mid-export fails.
    private func setKeepalive(_ mysql: UnsafeMutablePointer<MYSQL>, idleSeconds: Int) {
        let socket = Int32(truncatingIfNeeded: mysql_get_socket(mysql))
        guard socket >= 0 else { return }
        func set(_ level: Int32, _ name: Int32, _ value: Int) {
            var value = Int32(clamping: value)
            _ = setsockopt(socket, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
        set(SOL_SOCKET, SO_KEEPALIVE, 1)
        #if canImport(Darwin)
        set(Int32(IPPROTO_TCP), TCP_KEEPALIVE, idleSeconds)
        #else
        set(Int32(IPPROTO_TCP), TCP_KEEPIDLE, idleSeconds)
        #endif
        set(Int32(IPPROTO_TCP), TCP_KEEPINTVL, 10)
        set(Int32(IPPROTO_TCP), TCP_KEEPCNT, 6)
    }

    private func applyTLS(_ tls: MySQLConfiguration.TLS, to mysql: UnsafeMutablePointer<MYSQL>) throws {
        guard tls.mode != .disabled else { return }
        if tls.mode != .required, tls.certificateAuthorityFile == nil {
            throw MySQLError(.invalidConfiguration, "ssl-mode \(tls.mode.rawValue) needs ssl-ca (the trusted CA file)")
        }
        mysql_ssl_set(mysql, tls.keyFile, tls.certificateFile, tls.certificateAuthorityFile, nil, nil)
        var yes: CChar = 1
        mysql_options(mysql, MYSQL_OPT_SSL_ENFORCE, &yes)
        // libmariadb 3.3 has no chain-only check: VERIFY_CA verifies the host name too (stricter, never weaker).
        if tls.mode != .required { mysql_options(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes) }
    }
}
