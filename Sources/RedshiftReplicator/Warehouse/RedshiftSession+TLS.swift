import NIOSSL
import PostgresNIO

extension RedshiftSession {
    /// PostgresNIO's TLS for an `sslmode`, as libpq does it: `prefer` tries TLS without checking the
    /// certificate, `require` insists on TLS (checking the chain when a root certificate is given),
    /// `verify-ca` checks the chain, `verify-full` the chain and the host name. Roots: the
    /// configured PEM file, else the system's trust store.
    static func tls(_ settings: ReplicatorConfiguration.Redshift) throws -> PostgresConnection.Configuration.TLS {
        var mode = settings.effectiveSSLMode
        if mode == .require, settings.sslRootCertificate != nil { mode = .verifyCA }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let root = settings.sslRootCertificate { tls.trustRoots = .file(root) }
        switch mode {
        case .disable: return .disable
        case .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        let context = try NIOSSLContext(configuration: tls)
        return mode == .prefer ? .prefer(context) : .require(context)
    }
}
