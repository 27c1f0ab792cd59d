import AsyncSupport
import Synchronization
import Testing

@Suite("BoundedChannel: backpressure, ending, failing, cancellation", .timeLimit(.minutes(3)))
struct BoundedChannelTests {
    struct Broken: Error, Equatable {}

    @Test func everyValueOfEveryProducerArrivesOnceInItsOrder() async throws {
        let producers = (0..<3).map { producer in
            { @Sendable (channel: BoundedChannel<[Int]>) async throws -> Int in
                for index in 0..<500 { try await channel.send([producer, index]) }
                return producer
            }
        }
        var received: [Int: [Int]] = [:]
        let results = try await BoundedChannel.pump(capacity: 2, producers: producers) { value in
            received[value[0], default: []].append(value[1])
            if value[1] % 50 == 0 { await Task.yield() }
        }
        #expect(results == [0, 1, 2], "results in producer order")
        #expect(received.keys.sorted() == [0, 1, 2])
        #expect(received.values.allSatisfy { $0 == Array(0..<500) }, "each producer's values once, in order")
    }

    @Test func aProducerNeverRunsMoreThanCapacityAhead() async throws {
        let capacity = 3
        let sent = Atomic<Int>(0)
        let channel = BoundedChannel<Int>(capacity: capacity)
        let producer = Task {
            for value in 0..<100 {
                try await channel.send(value)
                sent.add(1, ordering: .sequentiallyConsistent)
            }
            channel.finish()
        }
        var received = 0
        while let value = try await channel.next() {
            #expect(value == received)
            received += 1
            for _ in 0..<2 { await Task.yield() }  // a slow consumer: the producer would run ahead if it could
            let ahead = sent.load(ordering: .sequentiallyConsistent) - received
            #expect(ahead <= capacity, "at most `capacity` values wait once the consumer took \(received)")
        }
        try await producer.value
        #expect(received == 100)
    }

    @Test func finishDrainsWhatIsQueuedThenEnds() async throws {
        let channel = BoundedChannel<String>(capacity: 4)
        try await channel.send("a")
        try await channel.send("b")
        channel.finish()
        var values: [String] = []
        for try await value in channel { values.append(value) }
        #expect(values == ["a", "b"])
        #expect(try await channel.next() == nil, "stays ended")
    }

    @Test func failWakesAWaitingConsumerAndAWaitingProducer() async throws {
        let channel = BoundedChannel<Int>(capacity: 1)
        let consumer = Task { try await channel.next() }
        let other = BoundedChannel<Int>(capacity: 1)
        try await other.send(1)
        let producer = Task { try await other.send(2) }  // full: waits
        channel.fail(Broken())
        other.fail(Broken())
        await #expect(throws: Broken.self) { try await consumer.value }
        await #expect(throws: Broken.self) { try await producer.value }
        await #expect(throws: Broken.self, "queued values are dropped") { try await other.next() }
        other.fail(CancellationError())
        await #expect(throws: Broken.self, "the first failure wins") { try await other.send(3) }
    }

    @Test func cancellingAWaitingProducerFailsTheChannelForTheConsumer() async throws {
        let channel = BoundedChannel<Int>(capacity: 1)
        let producer = Task {
            try await channel.send(1)
            try await channel.send(2)  // full: waits until cancelled
        }
        producer.cancel()
        await #expect(throws: CancellationError.self) { try await producer.value }
        await #expect(throws: CancellationError.self, "the consumer is not left waiting") { try await channel.next() }
    }

    @Test func cancellingAWaitingConsumerFailsTheChannelForTheProducer() async throws {
        let channel = BoundedChannel<Int>(capacity: 1)
        let consumer = Task { try await channel.next() }
        consumer.cancel()
        await #expect(throws: CancellationError.self) { try await consumer.value }
        await #expect(throws: CancellationError.self) { try await channel.send(1) }
    }

    @Test func aFailingConsumerStopsEveryProducer() async throws {
        let producers = (0..<2).map { _ in
            { @Sendable (channel: BoundedChannel<Int>) async throws -> Int in
                for index in 0..<100_000 { try await channel.send(index) }
                return 0
            }
        }
        var seen = 0
        await #expect(throws: Broken.self) {
            _ = try await BoundedChannel.pump(capacity: 2, producers: producers) { _ in
                seen += 1
                if seen == 10 { throw Broken() }
            }
        }
        #expect(seen == 10, "nothing is consumed after the failure")
    }

    @Test func aFailingProducerStopsTheOthersAndTheConsumer() async throws {
        let producers: [@Sendable (BoundedChannel<Int>) async throws -> Int] = [
            { channel in for index in 0..<1_000_000 { try await channel.send(index) }; return 0 },
            { channel in try await channel.send(-1); throw Broken() },
        ]
        var consumed = 0
        await #expect(throws: Broken.self) {
            _ = try await BoundedChannel.pump(capacity: 1, producers: producers) { _ in consumed += 1; await Task.yield() }
        }
        #expect(consumed < 1_000_000, "the endless producer was stopped")
    }
}
