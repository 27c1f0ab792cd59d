/// One check of `rrr doctor`: what was checked and how it went.
public struct DoctorCheck: Sendable, Hashable, CustomStringConvertible {
    /// How a check ended.
    public enum Result: String, Sendable, Hashable, Codable {
        /// Works.
        case ok
        /// Works, but something deserves a look (plain TCP to a remote Redshift, source columns
        /// Redshift lacks).
        case warning
        /// Will not work: a run would fail here.
        case failed
        /// Not run because an earlier check it depends on failed.
        case skipped
    }

    /// `source`, `history`, `table users`, `redshift`, `s3`, `copy`…
    public var area: String
    /// What was checked, or what is wrong, in words.
    public var detail: String
    /// The result.
    public var result: Result

    /// Creates a check result.
    public init(_ area: String, _ result: Result, _ detail: String) {
        self.area = area; self.result = result; self.detail = detail
    }

    /// `ok      source: postgres://app@db/app reachable, table locks usable`.
    public var description: String {
        let word = result == .failed ? "FAILED" : result.rawValue
        return "\(word.padding(toLength: 8, withPad: " ", startingAt: 0))\(area): \(detail)"
    }
}
