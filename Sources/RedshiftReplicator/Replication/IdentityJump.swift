/// A jump of an identity table's upper bound far above its usual growth (issue 12, item 1): one
/// row with a far higher id (bad data, a sequence moved by hand) becomes the high-water mark, and
/// rows inserted later with ids below it are never replicated. rrr cannot tell a legitimate jump,
/// so it warns rather than stops.
struct IdentityJump: Sendable, Equatable {
    /// Runs whose growth makes the usual growth; fewer imports than this say nothing.
    static let minimumHistory = 3
    /// How many times the largest recent growth a new growth must exceed to be a jump.
    static let factor: Int64 = 100
    /// Growths up to this many ids are never a jump (small tables grow in bursts).
    static let floor: Int64 = 100_000

    let previousUpper: Int64
    let upper: Int64
    let usualGrowth: Int64

    /// The jump, when `upper` grew from the newest of `previousUppers` (newest first, imported
    /// records' upper bounds) by more than ``factor`` times the largest growth between them.
    static func detect(upper: String?, previousUppers: [String?]) -> IdentityJump? {
        let uppers = previousUppers.compactMap { $0.flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) } }
        guard uppers.count >= minimumHistory + 1, let upper = upper.flatMap({ Int64($0.trimmingCharacters(in: .whitespaces)) }),
              let latest = uppers.first else { return nil }
        let usual = zip(uppers, uppers.dropFirst()).map { max(0, $0 &- $1) }.max() ?? 0
        let growth = upper &- latest
        guard growth > floor, growth / max(usual, 1) > factor else { return nil }
        return IdentityJump(previousUpper: latest, upper: upper, usualGrowth: usual)
    }

    var message: String {
        "the highest id jumped from \(previousUpper) to \(upper), far above the usual growth per run (at most \(usualGrowth) over the last runs): "
            + "it becomes the high-water mark, so rows inserted later with lower ids would be missed; "
            + "if that id is bad data, fix it in the source and run `rrr reset` for the table"
    }
}
