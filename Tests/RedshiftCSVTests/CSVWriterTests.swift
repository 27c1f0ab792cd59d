import RedshiftCSV
import Testing

@Suite("CSVWriter")
struct CSVWriterTests {
    private func written(_ build: (inout CSVWriter) -> Void) -> String {
        var writer = CSVWriter()
        build(&writer)
        return String(decoding: writer.takeBatch().bytes, as: UTF8.self)
    }

    @Test("NULL is the bare marker, the empty string and the marker as text are quoted")
    func nullAndEmpty() {
        let text = written {
            $0.appendNull(); $0.append(""); $0.append(#"\N"#); $0.append(nil as String?); $0.endRecord()
        }
        #expect(text == #"\N,"","\N",\N"# + "\n")
    }

    @Test("quotes are doubled; delimiters, CR, LF and edge spaces force quoting; the rest is bare")
    func quoting() {
        let text = written {
            $0.append(#"a "b" c"#); $0.append("x,y"); $0.append("l1\r\nl2"); $0.append(" pad")
            $0.append("pad "); $0.append("in side"); $0.append("tab\t"); $0.append(#"\\N"#)
            $0.endRecord()
        }
        #expect(text == "\"a \"\"b\"\" c\",\"x,y\",\"l1\r\nl2\",\" pad\",\"pad \",in side,tab\t,\\\\N\n")
    }

    @Test("integers are written in decimal, including the extremes")
    func integers() {
        let text = written {
            $0.append(0); $0.append(-42); $0.append(Int.max); $0.append(Int.min); $0.endRecord()
        }
        #expect(text == "0,-42,\(Int.max),\(Int.min)\n")
    }

    @Test("a custom delimiter, quote and marker are honoured")
    func customFormat() throws {
        let format = try CSVFormat(delimiter: UInt8(ascii: "|"), quote: UInt8(ascii: "'"), nullMarker: "NULL")
        var writer = CSVWriter(format: format)
        writer.append("a|b"); writer.append("it's"); writer.append("NULL"); writer.appendNull()
        writer.append("x,y"); writer.endRecord()
        let batch = writer.takeBatch()
        #expect(String(decoding: batch.bytes, as: UTF8.self) == "'a|b'|'it''s'|'NULL'|NULL|x,y\n")
        #expect(batch.recordCount == 1)
    }

    @Test("takeBatch counts records and leaves an empty writer")
    func batches() {
        var writer = CSVWriter()
        for index in 0..<3 { writer.append(index); writer.endRecord() }
        let first = writer.takeBatch()
        #expect(first.recordCount == 3)
        #expect(first.bytes == Array("0\n1\n2\n".utf8))
        #expect(writer.takeBatch().isEmpty)
        #expect(writer.bytes.isEmpty)
    }

    @Test("formats whose parts collide are refused", arguments: [
        (UInt8(ascii: ","), UInt8(ascii: ","), #"\N"#),
        (UInt8(ascii: "\n"), UInt8(ascii: "\""), #"\N"#),
        (UInt8(ascii: ","), UInt8(ascii: "\r"), #"\N"#),
        (UInt8(ascii: ","), UInt8(ascii: "\""), "a,b"),
        (UInt8(ascii: ","), UInt8(ascii: "\""), "x\"y"),
        (UInt8(ascii: ","), UInt8(ascii: "\""), "x\ny"),
    ])
    func invalidFormats(delimiter: UInt8, quote: UInt8, marker: String) {
        #expect(throws: CSVError.self) { try CSVFormat(delimiter: delimiter, quote: quote, nullMarker: marker) }
        do {
            _ = try CSVFormat(delimiter: delimiter, quote: quote, nullMarker: marker)
        } catch {
            #expect(error.code == .invalidFormat)
        }
    }
}
