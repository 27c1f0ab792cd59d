#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

extension RedshiftSession {
    /// A TCP connection to the cluster with keepalive probes as ``ReplicatorConfiguration/TCPKeepalive``
    /// says (PostgresNIO's own bootstrap sets none, so a connection a NAT gateway dropped during a
    /// long COPY would only be noticed after the system's two hours).
    static func openChannel(_ settings: ReplicatorConfiguration.Redshift) async throws -> any Channel {
        let keepalive = settings.keepalive
        let tcp = SocketOptionLevel(IPPROTO_TCP)
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(15))
            .channelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
            .channelOption(ChannelOptions.socket(tcp, SocketOptionName(keepaliveIdleOption)), value: SocketOptionValue(keepalive.idle))
            .channelOption(ChannelOptions.socket(tcp, SocketOptionName(TCP_KEEPINTVL)), value: SocketOptionValue(keepalive.interval))
            .channelOption(ChannelOptions.socket(tcp, SocketOptionName(TCP_KEEPCNT)), value: SocketOptionValue(keepalive.count))
            .channelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: settings.host, port: settings.port).get()
    }
}

#if canImport(Darwin)
private let keepaliveIdleOption = TCP_KEEPALIVE
#else
private let keepaliveIdleOption = TCP_KEEPIDLE
#endif
