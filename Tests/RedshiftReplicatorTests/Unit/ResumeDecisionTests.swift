import Testing
@testable import RedshiftReplicator

@Suite("Resume decisions (the state machine)")
struct ResumeDecisionTests {
    func record(_ state: ReplicationState, retries: Int = 0, error: String? = nil) -> ReplicationRecord {
        var r = ReplicationRecord(replicationType: .timed, key: "k", sourceTable: "s", targetTable: "t", slices: 1, exportFormat: .gzip)
        r.state = state; r.retries = retries; r.lastError = error
        return r
    }

    @Test func noRecordOrImportedStartsFresh() {
        #expect(ResumeDecision.decide(latest: nil, maxRetries: 5) == .startFresh)
        #expect(ResumeDecision.decide(latest: record(.imported), maxRetries: 5) == .startFresh)
        #expect(ResumeDecision.decide(latest: record(.canceled), maxRetries: 5) == .startFresh)
    }

    @Test(arguments: [ReplicationState.enqueued, .exporting, .exported, .uploading])
    func stoppedBeforeUploadedExportsAgain(state: ReplicationState) {
        let r = record(state, retries: 2)
        #expect(ResumeDecision.decide(latest: r, maxRetries: 5) == .exportAgain(r))
    }

    @Test(arguments: [ReplicationState.uploaded, .importing])
    func uploadedOrImportingImportsAgain(state: ReplicationState) {
        let r = record(state)
        #expect(ResumeDecision.decide(latest: r, maxRetries: 5) == .importAgain(r))
    }

    @Test func pastMaxRetriesCancels() {
        let r = record(.importing, retries: 5)
        #expect(ResumeDecision.decide(latest: r, maxRetries: 5) == .cancelThenStartFresh(r))
        let once = record(.exporting, retries: 1)
        #expect(ResumeDecision.decide(latest: once, maxRetries: 1) == .cancelThenStartFresh(once))
    }

    @Test func staleErrorNeverBlocksARetry() {
        let r = record(.uploaded, retries: 1, error: "COPY failed: connection reset")
        #expect(ResumeDecision.decide(latest: r, maxRetries: 5) == .importAgain(r))
    }
}
