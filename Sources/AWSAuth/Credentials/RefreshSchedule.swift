import Foundation

/// When temporary credentials (or a temporary database password) are renewed.
///
/// At the latest `window` before they expire (15 minutes by default, botocore's advisory refresh),
/// and when their whole lifetime is shorter than twice the window, once half of it has passed:
/// short-lived credentials are renewed well before expiry, and a source that keeps handing back
/// the same nearly expired credentials is asked again at halving intervals, not in a tight loop.
package struct RefreshSchedule: Sendable, Hashable {
    /// How long before expiry renewal starts. Default 15 minutes.
    package var window: TimeInterval

    package init(window: TimeInterval = 15 * 60) { self.window = window }

    /// When credentials fetched at `fetchedAt` that expire at `expiration` are due for renewal;
    /// `nil` for credentials that never expire.
    package func refreshDate(fetchedAt: Date, expiration: Date?) -> Date? {
        guard let expiration else { return nil }
        let lifetime = max(0, expiration.timeIntervalSince(fetchedAt))
        return expiration.addingTimeInterval(-min(window, lifetime / 2))
    }
}
