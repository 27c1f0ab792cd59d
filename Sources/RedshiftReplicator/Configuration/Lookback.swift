import Foundation

/// How far back each incremental run reaches below the previous upper bound, so that rows
/// committed late (by a transaction that started before the previous export) are still picked up.
///
/// The next range is `field > previous_upper - lookback AND field <= new_upper`; loads are
/// idempotent, so the overlap never duplicates rows.
public enum Lookback: Sendable, Hashable, CustomStringConvertible {
    /// A time window for `timed` tables, in whole seconds. Default: 5 minutes.
    case seconds(Int)
    /// A number of ids for `identity` tables. Default: 1000.
    case ids(Int64)

    /// The default for timed tables: 5 minutes.
    public static let timedDefault = Lookback.seconds(300)
    /// The default for identity tables: 1000 ids.
    public static let identityDefault = Lookback.ids(1000)

    public var description: String {
        switch self {
        case .seconds(let s): return "\(s) seconds"
        case .ids(let n): return "\(n) ids"
        }
    }

    /// The longest time window accepted: ten years. A longer one re-reads the whole table on every
    /// run (use `strategy: full`), and its interval arithmetic would overflow in the databases.
    public static let maximumSeconds = 3650 * 86400

    /// Parses `5 minutes`, `90 s`, `2 hours`, `1 day`, `300` (seconds) for timed tables; nil for
    /// anything else, including windows over ``maximumSeconds``.
    static func parseDuration(_ text: String) -> Lookback? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = trimmed.prefix { $0.isNumber }
        guard let amount = Int(digits) else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        let multipliers: [(Set<String>, Int)] = [
            (["", "s", "sec", "secs", "second", "seconds"], 1),
            (["m", "min", "mins", "minute", "minutes"], 60),
            (["h", "hour", "hours"], 3600),
            (["d", "day", "days"], 86400),
        ]
        guard let factor = multipliers.first(where: { $0.0.contains(unit) })?.1 else { return nil }
        let (seconds, overflow) = amount.multipliedReportingOverflow(by: factor)
        guard !overflow, seconds <= maximumSeconds else { return nil }
        return .seconds(seconds)
    }
}
