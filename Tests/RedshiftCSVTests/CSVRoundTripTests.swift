import RedshiftCSV
import Testing

@Suite("CSV writer and reader round trip")
struct CSVRoundTripTests {
    @Test("torture values survive writer and reader in one chunk, NULL distinct from empty and marker")
    func wholeInput() throws {
        let records = tortureRecords(count: 200)
        let read = try decode(encode(records), cuts: [])
        #expect(values(of: read) == records)
        // The marker written as a value comes back quoted, as text.
        let markerRecord = try decode(encode([[Array(#"\N"#.utf8), nil, []]]), cuts: [])[0]
        #expect(markerRecord.isQuoted(0) && !markerRecord.isNull(0))
        #expect(markerRecord.string(0) == #"\N"#)
        #expect(markerRecord.isNull(1) && markerRecord.string(1) == nil)
        #expect(markerRecord.string(2) == "" && markerRecord.isQuoted(2))
    }

    @Test("every split point of the input into two chunks gives the same records")
    func everyChunkBoundary() throws {
        let records = tortureRecords(count: 40)
        let input = encode(records)
        for cut in 0...input.count {
            let read = try decode(input, cuts: [cut])
            #expect(values(of: read) == records, "split at byte \(cut)")
        }
    }

    @Test("feeding one byte at a time gives the same records and line numbers")
    func byteByByte() throws {
        let records = tortureRecords(count: 120)
        let input = encode(records)
        let whole = try decode(input, cuts: [])
        let single = try decode(input, cuts: Array(1..<input.count))
        #expect(values(of: single) == records)
        #expect(single.map(\.lineNumber) == whole.map(\.lineNumber))
        #expect(single.map(\.rawBytes) == whole.map(\.rawBytes))
    }

    @Test("random chunkings give the same records", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomChunks(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let records = tortureRecords(count: 500)
        let input = encode(records)
        var cuts: [Int] = []
        var position = 0
        while position < input.count {
            position += Int.random(in: 1...97, using: &random)
            cuts.append(min(position, input.count))
        }
        #expect(values(of: try decode(input, cuts: cuts)) == records)
    }

    @Test("1 MB values, with quotes and newlines, round trip through small chunks")
    func largeValues() throws {
        var random = SplitMix64(seed: 42)
        let alphabet = Array("abc,\"\n\r xyz😀".utf8)
        let big = (0..<1_000_000).map { _ in alphabet.randomElement(using: &random)! }
        let plain = [UInt8](repeating: UInt8(ascii: "q"), count: 1_000_000)
        let records: [[[UInt8]?]] = [[big, nil, plain], [[], big], [plain]]
        let input = encode(records)
        let cuts = Array(stride(from: 4093, to: input.count, by: 4093))
        #expect(values(of: try decode(input, cuts: cuts)) == records)
    }

    @Test("a custom dialect round trips, including its marker as a value")
    func customDialect() throws {
        let format = try CSVFormat(delimiter: UInt8(ascii: "\t"), quote: UInt8(ascii: "'"), nullMarker: "NULL")
        let records: [[[UInt8]?]] = [
            [Array("NULL".utf8), nil, Array("it's\tfine".utf8)], [[], Array("a\"b".utf8)],
        ]
        let read = try decode(encode(records, format: format), cuts: [3, 9], format: format)
        #expect(values(of: read) == records)
    }
}
