import Foundation

/// A value that expires (temporary credentials, a temporary database password), fetched once and
/// shared by every caller until ``RefreshSchedule`` says it is due; concurrent callers wait for
/// one fetch instead of starting their own.
package actor RefreshingCache<Value: Sendable> {
    private struct Entry {
        var value: Value
        var fetchedAt: Date
        var refreshAt: Date?
    }

    private let schedule: RefreshSchedule
    private let expiration: @Sendable (Value) -> Date?
    private let keepMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var current: Entry?
    private var inFlight: Task<Value, any Error>?

    /// - Parameters:
    ///   - schedule: When a value is renewed.
    ///   - keepMargin: A failed renewal keeps the cached value while it has this long to live. Default 60 s.
    ///   - now: The clock (tests move their own).
    ///   - expiration: When a value stops working (`nil`: never).
    package init(schedule: RefreshSchedule = RefreshSchedule(), keepMargin: TimeInterval = 60,
                 now: @escaping @Sendable () -> Date = { Date() }, expiration: @escaping @Sendable (Value) -> Date?) {
        self.schedule = schedule
        self.keepMargin = keepMargin
        self.now = now
        self.expiration = expiration
    }

    /// The cached value, or a fresh one from `fetch` when none is cached, the cached one is due for
    /// renewal, or it would expire within `minimumLifetime` (then asked again at most once a second:
    /// a source may have nothing longer-lived to give).
    /// A failed renewal keeps the cached value while it still has `keepMargin` to live.
    package func value(minimumLifetime: TimeInterval = 0, fetch: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let current, !needsFetch(current, now: now(), minimumLifetime: minimumLifetime) { return current.value }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await fetch() }
        inFlight = task
        do {
            let value = try await task.value
            inFlight = nil
            let fetchedAt = now()
            current = Entry(value: value, fetchedAt: fetchedAt,
                            refreshAt: schedule.refreshDate(fetchedAt: fetchedAt, expiration: expiration(value)))
            return value
        } catch {
            inFlight = nil
            if let current, let expires = expiration(current.value), expires.timeIntervalSince(now()) > keepMargin {
                return current.value
            }
            throw error
        }
    }

    /// Forgets the cached value: the next call fetches (e.g. after the server refused it).
    package func invalidate() {
        current = nil
    }

    private func needsFetch(_ entry: Entry, now: Date, minimumLifetime: TimeInterval) -> Bool {
        if let refreshAt = entry.refreshAt, now >= refreshAt { return true }
        guard minimumLifetime > 0, let expires = expiration(entry.value) else { return false }
        return expires.timeIntervalSince(now) < minimumLifetime && now.timeIntervalSince(entry.fetchedAt) >= 1
    }
}
