import RedshiftCSV
import Testing

@Suite("CSVReader")
struct CSVReaderTests {
    private func read(_ text: String) throws -> [CSVRecord] {
        try CSVReader.records(in: Array(text.utf8))
    }

    @Test("line numbers count physical lines, quoted newlines included; CRLF and LF both end records")
    func lineNumbers() throws {
        let records = try read("a,b\r\n\"x\ny\nz\",2\nlast,\"q\r\n\"\r\nfinal")
        #expect(records.map(\.lineNumber) == [1, 2, 5, 7])
        #expect(records.map(\.strings) == [["a", "b"], ["x\ny\nz", "2"], ["last", "q\r\n"], ["final"]])
        #expect(records[1].rawBytes == Array("\"x\ny\nz\",2".utf8))
    }

    @Test("empty lines are one empty unquoted field; a trailing delimiter adds an empty field")
    func emptyFields() throws {
        let records = try read("\n,\n\"\",\n")
        #expect(records.map(\.count) == [1, 2, 2])
        #expect(records[0].isUnquotedEmpty(0))
        #expect(records[1].isUnquotedEmpty(0) && records[1].isUnquotedEmpty(1))
        #expect(records[2].isQuoted(0) && !records[2].isUnquotedEmpty(0) && records[2].isUnquotedEmpty(1))
    }

    @Test("a quote inside an unquoted field is an error naming its line, and reading goes on")
    func strayQuote() throws {
        var reader = CSVReader()
        reader.feed(Array("ok,1\n\"multi\nline\",2\nab\"c,3\nnext,4\n".utf8))
        reader.finish()
        #expect(try reader.nextRecord()?.string(0) == "ok")
        #expect(try reader.nextRecord()?.lineNumber == 2)
        do {
            _ = try reader.nextRecord()
            Issue.record("a stray quote was accepted")
        } catch {
            #expect(error.code == .quoteInUnquotedField)
            #expect(error.lineNumber == 4)
            #expect(error.rawRecord == Array("ab\"c,3".utf8))
        }
        let next = try reader.nextRecord()
        #expect(next?.string(0) == "next" && next?.lineNumber == 5)
        #expect(try reader.nextRecord() == nil)
    }

    @Test("data after a closing quote is an error")
    func dataAfterQuote() {
        #expect { try read("a,\"b\"c\n") } throws: { ($0 as? CSVError)?.code == .dataAfterClosingQuote }
    }

    @Test("an unterminated quote at the end of input is an error naming the record's first line")
    func unterminatedQuote() throws {
        var reader = CSVReader()
        reader.feed(Array("a\nb\n\"open,\nstill open".utf8))
        #expect(try reader.nextRecord() != nil)
        #expect(try reader.nextRecord() != nil)
        #expect(try reader.nextRecord() == nil)  // needs more input
        reader.finish()
        do {
            _ = try reader.nextRecord()
            Issue.record("an unterminated quote was accepted")
        } catch {
            #expect(error.code == .unterminatedQuote)
            #expect(error.lineNumber == 3)
            #expect(error.description.contains("line 3"))
        }
    }

    @Test("a record larger than the maximum is refused without buffering the rest")
    func recordTooLarge() throws {
        var reader = CSVReader(maximumRecordSize: 100)
        reader.feed(Array("small\n".utf8))
        #expect(try reader.nextRecord()?.string(0) == "small")
        reader.feed([UInt8](repeating: UInt8(ascii: "x"), count: 150))
        #expect { try reader.nextRecord() } throws: {
            ($0 as? CSVError)?.code == .recordTooLarge && ($0 as? CSVError)?.lineNumber == 2
        }
    }
}
