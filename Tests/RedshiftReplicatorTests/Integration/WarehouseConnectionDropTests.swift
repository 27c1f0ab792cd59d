import Foundation
import RedshiftEmulator
import Testing
@testable import RedshiftReplicator

/// Redshift's connection lost in the middle of the load (found by scripts/soak): the run fails
/// at once instead of waiting for the statement timeout, and the next run loads the same files.
@Suite("End to end: Redshift's connection dropped during the load", .enabled(if: TestStack.enabled), .serialized,
       .timeLimit(.minutes(3)), .closesResources)
struct WarehouseConnectionDropTests {
    func replicateTwice(faults: FaultInjection, stem: String) async throws {
        let name = TestStack.uniqueName(stem)
        let source = try await TestSource.open(.postgres)
        closeAfterTest { await source.close() }
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, name text, updated_at timestamp NOT NULL DEFAULT now())")
        try await source.insertNumbered(name, 1...50, prefix: "n", columns: "id, name")
        try await InProcessEmulator.with(faults: faults) { port in
            let redshift = try await InProcessEmulator.client(port: port)
            closeAfterTest { await redshift.close() }
            try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(20), updated_at TIMESTAMP)")
            let replicator = Replicator(configuration: InProcessEmulator.pointing(
                try TestStack.configuration(tables: [TableConfiguration(name: name, strategy: .timed)]), at: port))
            try await replicator.install(logger: TestStack.logger)
            let started = ContinuousClock.now
            let failed = try await replicator.replicate(tables: [name], logger: TestStack.logger)
            #expect(failed.map(\.status) == [.failed], "\(failed)")
            #expect(ContinuousClock.now - started < .seconds(60), "the lost connection ended the run")
            let resumed = try await replicator.replicate(tables: [name], logger: TestStack.logger)
            #expect(resumed.map(\.status) == [.imported], "\(resumed)")
            #expect(try await redshift.count(name) == 50)
        }
    }

    @Test func aConnectionDroppedInTheMiddleOfTheCopyFailsTheRunAtOnce() async throws {
        try await replicateTwice(faults: FaultInjection(dropConnectionDuringCopyNumber: 1), stem: "copydrop")
    }

    @Test func aConnectionDroppedAtCommitFailsTheRunAtOnce() async throws {
        try await replicateTwice(faults: FaultInjection(dropConnectionAtCommitNumber: 1), stem: "commitdrop")
    }
}
