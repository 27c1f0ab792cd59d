/// A half-open range of integer keys, `lower <= key < upper`: the unit `rrr verify` compares and
/// `--repair` loads again.
public struct KeyRange: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The first key of the range.
    public var lower: Int64
    /// The first key after the range.
    public var upper: Int64

    /// Creates `lower <= key < upper`.
    public init(lower: Int64, upper: Int64) {
        precondition(lower < upper, "a key range holds at least one key")
        self.lower = lower; self.upper = upper
    }

    /// How many keys the range spans.
    public var width: Int64 { upper &- lower }

    public var description: String { width == 1 ? "[\(lower)]" : "[\(lower), \(upper))" }

    public static func < (a: KeyRange, b: KeyRange) -> Bool { (a.lower, a.upper) < (b.lower, b.upper) }

    /// The ranges sorted, touching or overlapping ones merged.
    static func coalesced(_ ranges: [KeyRange]) -> [KeyRange] {
        var merged: [KeyRange] = []
        for range in ranges.sorted() {
            if let last = merged.last, range.lower <= last.upper {
                merged[merged.count - 1].upper = max(last.upper, range.upper)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// `(k >= lower AND k < upper) OR ...` for the quoted key column `column` (the numbers are
    /// rendered from `Int64`s, nothing else reaches the text); `1 = 0` for no range.
    static func condition(column: String, ranges: [KeyRange]) -> String {
        guard !ranges.isEmpty else { return "1 = 0" }
        return ranges.map { "(\(column) >= \($0.lower) AND \(column) < \($0.upper))" }.joined(separator: " OR ")
    }

    /// The `index`-th of the sub-ranges `width` keys wide that `self` splits into (the last one
    /// may be narrower).
    func bucket(_ index: Int64, width: Int64) -> KeyRange {
        let start = lower + index * width
        return KeyRange(lower: start, upper: min(upper, start + width))
    }

    /// The width of `parts` sub-ranges covering the range (at least 1).
    func bucketWidth(parts: Int) -> Int64 {
        let parts = Int64(max(1, parts))
        return max(1, (width + parts - 1) / parts)
    }
}
