import RedshiftCSV

/// A deterministic random generator, so a failing chunking can be replayed.
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

/// Values that break naive CSV handling; nil is SQL NULL.
let tortureValues: [[UInt8]?] = [
    nil,
    [],
    Array(#"\N"#.utf8),
    Array(#""\N""#.utf8),
    Array(#"\\N"#.utf8),
    Array("plain".utf8),
    Array(#"say "hi""#.utf8),
    Array(#"""#.utf8),
    Array(#""""#.utf8),
    Array("a,b,,c".utf8),
    Array(",".utf8),
    Array("line1\nline2".utf8),
    Array("line1\r\nline2".utf8),
    Array("cr\ronly".utf8),
    Array("\n".utf8),
    Array("\r\n".utf8),
    Array("trailing\r".utf8),
    Array("tab\there".utf8),
    Array(#"back\slash\\ and \t \n literally"#.utf8),
    Array("nul\u{0}inside".utf8),
    [0],
    Array("emoji 😀👩‍👩‍👧 and 𝄞 and 中文".utf8),
    Array(" leading space".utf8),
    Array("trailing space ".utf8),
    Array(" ".utf8),
    [0xFF, 0xFE, 0x80],  // invalid UTF-8 passes through untouched
    Array(#"mixed "q", and\n\r\n"#.utf8),
]

/// Records of torture values, each record rotating through the list with a varying width.
func tortureRecords(count: Int) -> [[[UInt8]?]] {
    (0..<count).map { row in
        let width = 1 + row % 5
        return (0..<width).map { tortureValues[(row * 7 + $0 * 3) % tortureValues.count] }
    }
}

func encode(_ records: [[[UInt8]?]], format: CSVFormat = .default) -> [UInt8] {
    var writer = CSVWriter(format: format)
    for record in records {
        for field in record {
            if let field { writer.append(bytes: field) } else { writer.appendNull() }
        }
        writer.endRecord()
    }
    return writer.takeBatch().bytes
}

/// Reads `input` fed in the chunks that `cuts` (ascending offsets) delimit.
func decode(_ input: [UInt8], cuts: [Int], format: CSVFormat = .default) throws -> [CSVRecord] {
    var reader = CSVReader(format: format)
    var records: [CSVRecord] = []
    var start = 0
    for cut in cuts + [input.count] where cut >= start {
        reader.feed(input[start..<cut])
        start = cut
        while let record = try reader.nextRecord() { records.append(record) }
    }
    reader.finish()
    while let record = try reader.nextRecord() { records.append(record) }
    return records
}

/// The fields of read records, nil for NULL, for comparison with what was written.
func values(of records: [CSVRecord]) -> [[[UInt8]?]] {
    records.map { record in (0..<record.count).map { record.isNull($0) ? nil : Array(record[$0]) } }
}
