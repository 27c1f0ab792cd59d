extension BoundedChannel {
    /// Runs `producers` concurrently, each sending into one new channel of `capacity`, while
    /// `consume` takes every value in the calling task; returns the producers' results in
    /// producer order once all of them returned and every value was consumed.
    ///
    /// A failing `consume` stops the producers (their next `send` throws); a failing producer
    /// stops the others and the consumer at once. The first error is rethrown.
    public static func pump<Result: Sendable>(
        capacity: Int, producers: [@Sendable (BoundedChannel) async throws -> Result],
        consume: (Element) async throws -> Void
    ) async throws -> [Result] {
        let channel = BoundedChannel(capacity: capacity)
        return try await withThrowingTaskGroup(of: [Result].self) { group in
            group.addTask {
                do {
                    let results = try await withThrowingTaskGroup(of: (Int, Result).self) { producing in
                        for (index, producer) in producers.enumerated() {
                            producing.addTask {
                                do {
                                    return (index, try await producer(channel))
                                } catch {
                                    // Failed first, before the group cancels the other producers
                                    // (whose cancellation would otherwise be the reported error).
                                    channel.fail(error)
                                    throw error
                                }
                            }
                        }
                        var results: [(Int, Result)] = []
                        for try await result in producing { results.append(result) }
                        return results.sorted { $0.0 < $1.0 }.map(\.1)
                    }
                    channel.finish()
                    return results
                } catch {
                    channel.fail(error)
                    throw error
                }
            }
            do {
                for try await element in channel { try await consume(element) }
            } catch {
                channel.fail(error)
                throw error
            }
            guard let results = try await group.next() else { throw CancellationError() }
            return results
        }
    }
}
