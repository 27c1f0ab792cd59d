import NIOCore
import PostgresNIO

extension RedshiftSession {
    /// Why a connection failed, in libpq's words: refused, timed out, host not found, TLS, or
    /// authentication (PostgresNIO's own description is only its error code).
    static func connectionReason(_ error: PSQLError) -> String {
        let underlying = error.underlying.map { String(describing: $0) } ?? ""
        switch error.code {
        case .sslUnsupported:
            return "TLS required, but the server does not offer TLS"
        case .failedToAddSSLHandler:
            return "TLS could not be set up: \(underlying)"
        case .authMechanismRequiresPassword:
            return "authentication failed: the server asks for a password and none is set (redshift.password or RRR_REDSHIFT_PASSWORD)"
        case .unsupportedAuthMechanism, .saslError:
            return "authentication failed: \(underlying.isEmpty ? "\(error.code)" : underlying)"
        case .serverClosedConnection, .uncleanShutdown:
            return "the server closed the connection" + (underlying.isEmpty ? "" : " (\(underlying))")
        default:
            if let reason = socketReason(underlying) { return reason }
            return underlying.isEmpty ? "\(error.code)" : "\(error.code): \(underlying)"
        }
    }

    /// Refused, timed out, TLS or host not found, read from a connection error's text (PostgresNIO's
    /// underlying error, or NIO's own when rrr opens the channel itself); `nil` when none fits.
    static func socketReason(_ underlying: String) -> String? {
        let lowered = underlying.lowercased()
        if lowered.contains("refused") {
            return "connection refused: nothing listens on that host and port, or a firewall or security group rejects this address"
        }
        if lowered.contains("timeout") || lowered.contains("timed out") {
            return "timed out: no answer from the host (a security group or firewall dropping the packets, or a private address)"
        }
        if lowered.contains("ssl") || lowered.contains("tls") || lowered.contains("certificate") || lowered.contains("handshake") {
            return "TLS failed: \(underlying)"
        }
        if lowered.contains("resol") || lowered.contains("dns") || lowered.contains("getaddrinfo") || lowered.contains("unknown host") {
            return "host name not found: \(underlying)"
        }
        return nil
    }

    /// A prefix naming the cause class of a server error: SQLSTATE class 28 is authentication.
    static func connectionReason(sqlState: String?) -> String {
        sqlState?.hasPrefix("28") == true ? "authentication failed: " : ""
    }
}
