import RedshiftCSV
import Testing

@Suite("CSVRecordSplitter")
struct CSVRecordSplitterTests {
    /// Output in the shape of PostgreSQL's `COPY ... TO STDOUT (FORMAT csv, NULL '\N')`.
    private let postgresOutput = Array((
        "1,\"multi\nline\ntext\",\\N\n" + "2,\"\"\"quoted\"\", and, commas\",\n" + "3,\"\\N\",\"cr\r\nlf\"\n"
            + "4,plain,\"\"\n" + "5,\"\n\",x\n"
    ).utf8)

    private func splitAll(_ input: [UInt8], cuts: [Int]) throws -> [CSVRecordBatch] {
        var splitter = CSVRecordSplitter()
        var batches: [CSVRecordBatch] = []
        var start = 0
        for cut in cuts + [input.count] where cut >= start {
            batches.append(splitter.split(input[start..<cut]))
            start = cut
        }
        batches.append(try splitter.finish())
        return batches
    }

    @Test("every two-chunk split yields complete records whose concatenation is the input")
    func everyBoundary() throws {
        for cut in 0...postgresOutput.count {
            let batches = try splitAll(postgresOutput, cuts: [cut])
            #expect(batches.flatMap(\.bytes) == postgresOutput, "cut at \(cut)")
            #expect(batches.map(\.recordCount).reduce(0, +) == 5)
            for batch in batches where !batch.isEmpty {
                // Each batch parses on its own into exactly its records.
                #expect(try CSVReader.records(in: batch.bytes).count == batch.recordCount)
            }
        }
    }

    @Test("byte-by-byte feeding finds each record at its last byte")
    func byteByByte() throws {
        let batches = try splitAll(postgresOutput, cuts: Array(1..<postgresOutput.count))
        #expect(batches.filter { !$0.isEmpty }.map(\.recordCount) == [1, 1, 1, 1, 1])
        #expect(batches.flatMap(\.bytes) == postgresOutput)
    }

    @Test("a final record without LF gets one; an open quote at the end is an error")
    func finish() throws {
        var splitter = CSVRecordSplitter()
        #expect(splitter.split(Array("a,b\nc,d".utf8)).recordCount == 1)
        #expect(splitter.pendingByteCount == 3)
        #expect(try splitter.finish() == CSVRecordBatch(bytes: Array("c,d\n".utf8), recordCount: 1))

        var open = CSVRecordSplitter()
        _ = open.split(Array("a,\"never closed\nb\n".utf8))
        #expect { try open.finish() } throws: { ($0 as? CSVError)?.code == .unterminatedQuote }
    }
}
