import Foundation

/// A declared type split into its name and its numeric modifiers: `timestamp(3) without time zone`
/// is `timestamp without time zone` with `[3]`, `decimal(12,2) unsigned` is `decimal unsigned`
/// with `[12, 2]`. Lower case, blanks collapsed. The pure part every source's mapping reads.
struct DeclaredType: Hashable {
    /// The type without its parenthesised modifiers.
    var name: String
    /// The numbers between the first parentheses (empty when there are none or they hold no number).
    var modifiers: [Int]

    init(_ text: String) {
        let lowered = text.lowercased().trimmingCharacters(in: .whitespaces)
        guard let open = lowered.firstIndex(of: "("), let close = lowered[open...].firstIndex(of: ")") else {
            name = lowered.split(separator: " ").joined(separator: " ")
            modifiers = []
            return
        }
        let inside = lowered[lowered.index(after: open)..<close]
        modifiers = inside.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        name = (lowered[..<open] + " " + lowered[lowered.index(after: close)...]).split(separator: " ").joined(separator: " ")
    }

    /// The first modifier (a length or precision).
    var length: Int? { modifiers.first }
}
