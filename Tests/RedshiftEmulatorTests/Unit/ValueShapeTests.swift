import Testing
@testable import RedshiftEmulator

/// `CommonValueShapes` (the COPY's byte-level fast path) must write exactly what the full check
/// (`ValueChecks`) writes for every value it takes, and leave everything else to it.
@Suite("COPY values: the common shapes' fast path agrees with the full check")
struct ValueShapeTests {
    /// A seeded generator, so a failure repeats.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Returns whether the fast path took `text`; when it did, its output must be the full check's.
    @discardableResult
    func agree(_ text: String, _ kind: LoadColumn.Kind, timeFormat: String? = nil, dateFormat: String? = nil,
               sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        var options = CopyOptions(csv: true)
        options.timeFormat = timeFormat
        options.dateFormat = dateFormat
        var fast: [UInt8] = []
        let taken = Array(text.utf8).withUnsafeBufferPointer { CommonValueShapes.append($0, kind: kind, options: options, to: &fast) }
        guard taken else {
            #expect(fast.isEmpty, "nothing appended when not taken", sourceLocation: sourceLocation)
            return false
        }
        switch ValueChecks.normalize(text.trimmingSpaces, kind: kind, options: options) {
        case .success(let full):
            #expect(String(decoding: fast, as: UTF8.self) == full, "\(kind) \(text) (TIMEFORMAT \(timeFormat ?? "default"))", sourceLocation: sourceLocation)
        case .failure(let failure):
            Issue.record("the fast path took \(text) as \(kind), the full check rejects it: \(failure.reason)", sourceLocation: sourceLocation)
        }
        return true
    }

    func digits(_ count: Int, _ random: inout SplitMix) -> String {
        String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
    }

    @Test func integers() {
        var random = SplitMix(state: 1)
        var taken = 0
        for _ in 0..<3000 {
            let body = [digits(Int.random(in: 0...20, using: &random), &random), String(Int64.random(in: Int64.min...Int64.max, using: &random)),
                        String(Int.random(in: -40000...40000, using: &random))].randomElement(using: &random)!
            let text = ["", "-", "+", " "].randomElement(using: &random)! + body + ["", "", " ", "x"].randomElement(using: &random)!
            for kind in [LoadColumn.Kind.smallint, .integer, .bigint] where agree(text, kind) { taken += 1 }
        }
        #expect(taken > 500)
        #expect(agree("0", .integer) && agree("-32768", .bigint) && agree("123456789", .integer))
        #expect(!agree("007", .integer) && !agree("-0", .integer) && !agree("+5", .integer) && !agree("99999", .smallint))
    }

    @Test func decimals() {
        var random = SplitMix(state: 2)
        var taken = 0
        for _ in 0..<3000 {
            let integer = digits(Int.random(in: 0...12, using: &random), &random)
            let fraction = Bool.random(using: &random) ? "." + digits(Int.random(in: 0...4, using: &random), &random) : ""
            let text = ["", "-", "+"].randomElement(using: &random)! + integer + fraction
            for kind in [LoadColumn.Kind.decimal(precision: 12, scale: 2), .decimal(precision: 5, scale: 0), .decimal(precision: 38, scale: 3)]
            where agree(text, kind) { taken += 1 }
        }
        #expect(taken > 1000)
        #expect(agree("2.40", .decimal(precision: 12, scale: 2)) && agree("-0.5", .decimal(precision: 12, scale: 2)))
        #expect(!agree(".5", .decimal(precision: 12, scale: 2)) && !agree("1.239", .decimal(precision: 12, scale: 2)))
    }

    @Test func floatsAndBooleans() {
        for text in ["1", "-2.5", "1e10", "1.5E-07", "3.25e+2", "0.000001", "12345678901234567890"] {
            #expect(agree(text, .double) && agree(text, .real))
        }
        for text in ["1e", ".5", "5.", "nan", "inf", "1e400", "--1", " 1"] { agree(text, .double) }
        for text in ["t", "f", "1", "0"] { #expect(agree(text, .boolean)) }
        for text in ["true", "T", "yes", "n", " t", ""] { #expect(!agree(text, .boolean)) }
    }

    @Test func datesAndTimestamps() {
        var random = SplitMix(state: 3)
        var taken = 0
        func two(_ range: ClosedRange<Int>) -> String {
            let value = Int.random(in: range, using: &random)
            return value < 10 ? "0\(value)" : "\(value)"
        }
        for _ in 0..<4000 {
            let year = ["0000", "1900", "2000", "2023", "2024", "9999", "1600"].randomElement(using: &random)!
            let date = "\(year)-\(two(0...13))-\(two(0...31))"
            let time = "\(two(0...25)):\(two(0...60)):\(two(0...61))"
            let fraction = ["", ".5", ".123456", ".1234567", "."].randomElement(using: &random)!
            let zone = ["", "", "+00", "-08", "+05:30", "+16", "+0530", "Z", "+5", "-03:61", "+00 "].randomElement(using: &random)!
            let separator = ["", " ", " ", "T"].randomElement(using: &random)!
            let text = separator.isEmpty ? date : date + separator + time + fraction + zone
            for format in [nil, "auto"] as [String?] {
                for kind in [LoadColumn.Kind.timestamp, .timestamptz] where agree(text, kind, timeFormat: format) { taken += 1 }
                if agree(text, .date, dateFormat: format) { taken += 1 }
            }
        }
        #expect(taken > 1000)
        #expect(agree("2024-01-12 13:50:40+00", .timestamptz, timeFormat: "auto"))
        #expect(agree("2024-02-29 13:50:40.5", .timestamptz))
        #expect(agree("2024-01-12 13:50:40-08:00", .timestamp, timeFormat: "auto"))
        #expect(!agree("2024-01-12 13:50:40+00", .timestamp), "the default format refuses an offset on TIMESTAMP: the full check says so")
        #expect(!agree("2023-02-29 10:00:00", .timestamp) && !agree("1700000000", .timestamp, timeFormat: "epochsecs"))
    }
}
