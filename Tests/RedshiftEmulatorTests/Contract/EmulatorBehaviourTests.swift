import Testing

extension ConformanceSuites {
/// Every ``RedshiftBehaviour`` against an in-process emulator (the same checks `ClusterContract`
/// runs against a real cluster).
@Suite("Redshift behaviours (emulator)")
struct EmulatorBehaviourTests {
    @Test(arguments: RedshiftBehaviour.allCases)
    func behaves(_ behaviour: RedshiftBehaviour) async throws {
        // Configured as Redshift compares: VARCHAR ignores trailing blanks (opt-in, see the README).
        try await EmulatorHarness.with(varcharIgnoresTrailingBlanks: true) { emulator in try await behaviour.check(on: emulator.endpoint) }
    }

    /// The contract run's rrr replication, against the emulator (it must pass here before it can
    /// tell anything on a cluster).
    @Test func rrrReplicatesATableThroughEveryRule() async throws {
        try await EmulatorHarness.with(varcharIgnoresTrailingBlanks: true) { emulator in try await ReplicationContract.run(on: emulator.endpoint) }
    }
}
}
