import RedshiftCSV
import Testing
@testable import RedshiftReplicator

@Suite("AsyncBatchChannel: several producers, one consumer, bounded")
struct AsyncBatchChannelTests {
    static func batch(_ producer: Int, _ index: Int) -> CSVRecordBatch {
        CSVRecordBatch(bytes: Array("\(producer),\(index)\n".utf8), recordCount: 1)
    }

    @Test func everyBatchOfEveryProducerArrivesOnceInItsOrder() async throws {
        let producers = (0..<3).map { producer in
            { @Sendable (channel: AsyncBatchChannel) async throws -> Int in
                for index in 0..<500 { try await channel.send(Self.batch(producer, index)) }
                return producer
            }
        }
        var received: [Int: [Int]] = [:]
        let (results, bytes) = try await AsyncBatchChannel.pump(capacity: 2, producers: producers) { batch in
            let fields = String(decoding: batch.bytes.dropLast(), as: UTF8.self).split(separator: ",").compactMap { Int($0) }
            received[fields[0], default: []].append(fields[1])
            if fields[1] % 50 == 0 { await Task.yield() }
        }
        #expect(results == [0, 1, 2], "results in producer order")
        #expect(received.keys.sorted() == [0, 1, 2])
        #expect(received.values.allSatisfy { $0 == Array(0..<500) }, "each producer's batches once, in order")
        #expect(bytes > 0)
    }

    @Test func aFailingSinkStopsEveryProducer() async throws {
        struct Stop: Error {}
        let producers = (0..<2).map { _ in
            { @Sendable (channel: AsyncBatchChannel) async throws -> Int in
                for index in 0..<100_000 { try await channel.send(Self.batch(0, index)) }
                return 0
            }
        }
        var seen = 0
        await #expect(throws: Stop.self) {
            _ = try await AsyncBatchChannel.pump(capacity: 2, producers: producers) { _ in
                seen += 1
                if seen == 10 { throw Stop() }
            }
        }
        #expect(seen == 10, "nothing is consumed after the failure")
    }

    @Test func aFailingProducerStopsTheOthersAndTheConsumer() async throws {
        struct Broken: Error {}
        let producers: [@Sendable (AsyncBatchChannel) async throws -> Int] = [
            { channel in for index in 0..<1_000_000 { try await channel.send(Self.batch(0, index)) }; return 0 },
            { channel in try await channel.send(Self.batch(1, 0)); throw Broken() },
        ]
        await #expect(throws: (any Error).self) {
            _ = try await AsyncBatchChannel.pump(capacity: 1, producers: producers) { _ in await Task.yield() }
        }
    }
}
