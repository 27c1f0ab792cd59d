import RedshiftCSV

/// A realistic table: id, uuid, name, email, amount, created_at, status, note (nullable, sometimes
/// with commas, quotes and newlines), active flag, score (nullable), about 150 bytes per row.
///
/// Rows cycle through a pool of pre-built values (larger than any compressor's window, so ratios
/// stay honest) while the id is unique; building the values is not what is measured.
struct SampleTable: Sendable {
    let pool: [[String?]]

    init(poolSize: Int = 65_536, seed: UInt64 = 2024) {
        var random = SplitMix64(seed: seed)
        let first = ["Ada", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "José", "Zoë"]
        let last = ["Lovelace", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie", "Allen", "Núñez"]
        let statuses = ["active", "pending", "suspended", "closed"]
        let notes = [
            "called back, wants a refund", "prefers \"email\" over phone", "line one\nline two",
            "VIP 😀", "address: 1 Main St, Springfield", "", #"\N"#,
        ]
        let hexDigits = Array("0123456789abcdef".utf8)
        // Built from bytes, not Characters: building the pool must stay cheap next to what is timed.
        func hex(_ count: Int) -> String {
            String(decoding: (0..<count).map { _ in hexDigits[Int(random.next() & 15)] }, as: UTF8.self)
        }
        pool = (0..<poolSize).map { _ in
            let given = first.randomElement(using: &random)!, family = last.randomElement(using: &random)!
            let cents = Int.random(in: 0..<10_000_000, using: &random)
            let second = Int.random(in: 0..<86_400 * 365, using: &random)
            let noteDraw = Int.random(in: 0..<10, using: &random)
            return [
                "\(hex(8))-\(hex(4))-\(hex(4))-\(hex(4))-\(hex(12))",
                "\(given) \(family)",
                "\(given).\(family)\(Int.random(in: 1..<999, using: &random))@example.com",
                "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)",
                SampleTable.timestamp(second: second, micros: Int.random(in: 0..<1_000_000, using: &random)),
                statuses.randomElement(using: &random)!,
                noteDraw < 6 ? nil : notes.randomElement(using: &random)!,
                Bool.random(using: &random) ? "t" : "f",
                noteDraw == 0 ? nil : "\(Double(Int.random(in: 0..<100_000, using: &random)) / 100)",
            ]
        }
    }

    /// Appends row `index` to `writer`.
    @inline(__always)
    func append(row index: Int, to writer: inout CSVWriter) {
        writer.append(index)
        for value in pool[index % pool.count] { writer.append(value) }
        writer.endRecord()
    }

    private static func timestamp(second: Int, micros: Int) -> String {
        let day = second / 86_400, rest = second % 86_400
        let month = day / 31 % 12 + 1, dayOfMonth = day % 28 + 1
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = String(micros + 1_000_000).dropFirst()
        return "2024-\(two(month))-\(two(dayOfMonth)) \(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60)).\(fraction)"
    }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
