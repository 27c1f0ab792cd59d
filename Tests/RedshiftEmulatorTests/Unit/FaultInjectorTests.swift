@testable import RedshiftEmulator
import Testing

@Suite("Random faults (soak)")
struct FaultInjectorTests {
    private func faults(copyFailure: Double = 0, copyDrop: Double = 0, commitDrop: Double = 0,
                        serializable: Double = 0, seed: UInt64 = 42) -> FaultInjection {
        var faults = FaultInjection()
        faults.copyFailureRate = copyFailure
        faults.copyDropRate = copyDrop
        faults.commitDropRate = commitDrop
        faults.serializableViolationRate = serializable
        faults.seed = seed
        return faults
    }

    @Test func theSameSeedDrawsTheSameFaults() {
        let configuration = faults(copyFailure: 0.2, copyDrop: 0.1, commitDrop: 0.1, serializable: 0.2, seed: 7)
        let first = FaultInjector(configuration), second = FaultInjector(configuration)
        let firstCopies = (0..<200).map { _ in first.copyStarting() }, secondCopies = (0..<200).map { _ in second.copyStarting() }
        #expect(firstCopies == secondCopies)
        let firstCommits = (0..<200).map { _ in first.commitStarting() }, secondCommits = (0..<200).map { _ in second.commitStarting() }
        #expect(firstCommits == secondCommits)
        var other = configuration
        other.seed = 8
        let third = FaultInjector(other)
        #expect((0..<200).map { _ in third.copyStarting() } != firstCopies)
    }

    @Test func ratesAreKeptOverManyDraws() {
        let injector = FaultInjector(faults(copyFailure: 0.05, copyDrop: 0.1, commitDrop: 0.2, serializable: 0.3))
        let copies = (0..<10_000).map { _ in injector.copyStarting() }
        let failures = copies.filter { if case .fail = $0 { true } else { false } }.count
        let drops = copies.filter { $0 == .dropMidway }.count
        #expect((400...600).contains(failures), "\(failures) COPY failures in 10,000 at 5 %")
        #expect((850...1150).contains(drops), "\(drops) COPY drops in 10,000 at 10 %")
        let commits = (0..<10_000).map { _ in injector.commitStarting() }
        let commitDrops = commits.filter { $0 == .dropConnection }.count
        let violations = commits.filter { $0 == .serializableViolation }.count
        #expect((1800...2200).contains(commitDrops), "\(commitDrops) COMMIT drops in 10,000 at 20 %")
        #expect((2700...3300).contains(violations), "\(violations) violations in 10,000 at 30 %")
    }

    @Test func noRatesNoFaultsAndTheNthStillStrikes() {
        let quiet = FaultInjector(faults())
        #expect(!quiet.faults.isActive)
        #expect((0..<1000).allSatisfy { _ in quiet.copyStarting() == .none && quiet.commitStarting() == .none })
        var numbered = faults(copyFailure: 0)
        numbered.failCopyNumber = 3
        let injector = FaultInjector(numbered)
        #expect((1...4).map { _ in injector.copyStarting() } == [.none, .none, .fail(number: 3), .none])
        let always = FaultInjector(faults(commitDrop: 1))
        #expect((0..<100).allSatisfy { _ in always.commitStarting() == .dropConnection })
    }
}
