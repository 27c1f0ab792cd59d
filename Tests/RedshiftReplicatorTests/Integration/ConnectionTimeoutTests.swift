import Foundation
import NIOCore
import Testing
@testable import RedshiftReplicator

/// Issue 12 item 9: a connection that goes silent mid-COPY (a NAT gateway dropping it, a server
/// that stopped answering) ends the run within the statement timeout, releases the table's lock,
/// and the next run repairs. Before, rrr waited forever holding the lock.
@Suite("Timeouts end the wait", .enabled(if: TestStack.enabled), .timeLimit(.minutes(3)), .closesResources)
struct ConnectionTimeoutTests {
    @Test func aCopyThatGoesSilentFailsWithinTheTimeoutAndTheNextRunRepairs() async throws {
        let name = TestStack.uniqueName("stall")
        let source = try await TestSource.open(.postgres), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, name text, updated_at timestamp DEFAULT now())")
        try await source.insertNumbered(name, 1...40, prefix: "n", columns: "id, name")
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(32), updated_at TIMESTAMP)")
        let configuration = try TestStack.configuration(tables: [TableConfiguration(name: name, strategy: .identity)], source: source.url)
        let direct = Replicator(configuration: configuration)
        try await direct.install(logger: TestStack.logger)

        let proxy = try StallProxy.start(host: configuration.redshift.host, port: configuration.redshift.port, trigger: "COPY ")
        defer { proxy.stop() }
        var silent = configuration
        silent.redshift.host = "127.0.0.1"
        silent.redshift.port = proxy.port
        silent.redshift.sslMode = .disable  // the proxy looks for the COPY in clear text
        silent.redshift.statementTimeout = .seconds(2)
        let started = ContinuousClock.now
        let failed = try await Replicator(configuration: silent).replicate(tables: .named([name]), logger: TestStack.logger)
        let elapsed = ContinuousClock.now - started

        #expect(proxy.didStall, "the proxy saw the COPY and went silent")
        #expect(failed.map(\.status) == [.failed])
        #expect(failed.first?.error?.contains("did not finish within 12 s") == true, "\(failed)")
        // The 2 s timeout plus the 10 s grace, with room for a slow machine; never "forever".
        #expect(elapsed < .seconds(40), "the run gave up after \(elapsed)")

        // The lock was released (a non-waiting run is not skipped) and the next run completes the load.
        let repaired = try await direct.replicate(tables: .named([name]), logger: TestStack.logger)
        #expect(repaired.map(\.status) == [.imported], "\(repaired)")
        #expect(try await redshift.count(name) == 40)
    }

    @Test func theRedshiftConnectionProbesWithKeepalives() async throws {
        var settings = try TestStack.configuration(tables: []).redshift
        settings.keepalive = .init(idle: 17, interval: 4, count: 3)
        let channel = try await RedshiftSession.openChannel(settings)
        let tcp = SocketOptionLevel(IPPROTO_TCP)
        #expect(try await channel.getOption(ChannelOptions.socketOption(.so_keepalive)).get() != 0)
        #expect(try await channel.getOption(ChannelOptions.socket(tcp, SocketOptionName(TCP_KEEPIDLE))).get() == 17)
        #expect(try await channel.getOption(ChannelOptions.socket(tcp, SocketOptionName(TCP_KEEPINTVL))).get() == 4)
        #expect(try await channel.getOption(ChannelOptions.socket(tcp, SocketOptionName(TCP_KEEPCNT))).get() == 3)
        try await channel.close()
    }
}
