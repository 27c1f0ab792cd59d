import RedshiftCSV
import Testing
@testable import RedshiftEmulator

@Suite("Redshift CSV rules: parsing and per-column checks")
struct RecordConversionTests {
    func records(_ text: [UInt8], chunk: Int = 3) throws -> [CSVRecord] {
        var reader = CSVReader(format: CopyOptions(csv: true).csvFormat)
        var result: [CSVRecord] = []
        var index = 0
        while index < text.count { // small chunks: records and quotes straddle chunk borders
            reader.feed(text[index..<min(text.count, index + chunk)])
            while let record = try reader.nextRecord() { result.append(record) }
            index += chunk
        }
        reader.finish()
        while let record = try reader.nextRecord() { result.append(record) }
        return result
    }

    @Test func quotedNewlineStaysInsideTheField() throws {
        let parsed = try records(Array("1,\"two\nlines\"\n2,\"say \"\"hi\"\"\"\n".utf8))
        #expect(parsed.count == 2)
        #expect(Array(parsed[0][1]) == Array("two\nlines".utf8))
        #expect(parsed[1].lineNumber == 3)
        #expect(Array(parsed[1][1]) == Array("say \"hi\"".utf8))
    }

    let columns = [
        LoadColumn(name: "id", typname: "int4", typmod: -1, notNull: true, typeName: "integer"),
        LoadColumn(name: "name", typname: "varchar", typmod: 4 + 5, notNull: false, typeName: "character varying(5)"),
        LoadColumn(name: "score", typname: "numeric", typmod: ((6 << 16) | 2) + 4, notNull: false, typeName: "numeric(6,2)"),
        LoadColumn(name: "at", typname: "timestamptz", typmod: -1, notNull: false, typeName: "timestamp with time zone"),
    ]

    func convert(_ line: String, _ options: CopyOptions = CopyOptions(csv: true)) throws -> (String?, LoadError?) {
        let record = try records(Array((line + "\n").utf8))[0]
        var output: [UInt8] = []
        let error = RecordConverter(columns: columns, options: options).append(record, to: &output)
        return (error == nil ? String(decoding: output, as: UTF8.self) : nil, error)
    }

    @Test func emptyQuotedEmptyAndNullMarkerDiffer() throws {
        #expect(try convert("1,,,").0 == "1\t\t\\N\t\\N\n")           // unquoted empty: '' for VARCHAR, NULL otherwise
        #expect(try convert("1,\"\",,").0 == "1\t\t\\N\t\\N\n")       // quoted empty: ''
        #expect(try convert("1,\\N,,").0 == "1\t\\N\t\\N\t\\N\n")     // NULL marker
        #expect(try convert("1,\"\\N\",,").0 == "1\t\\\\N\t\\N\t\\N\n") // a quoted marker is text
        var emptyAsNull = CopyOptions(csv: true)
        emptyAsNull.emptyAsNull = true
        #expect(try convert("1,,,", emptyAsNull).0 == "1\t\\N\t\\N\t\\N\n")
    }

    @Test func varcharLengthCountsBytes() throws {
        #expect(try convert("1,ééé,,").1?.code == 1204)                 // 3 characters, 6 bytes > 5
        var truncate = CopyOptions(csv: true)
        truncate.truncateColumns = true
        #expect(try convert("1,ééé,,", truncate).0 == "1\téé\t\\N\t\\N\n") // cut at a character boundary
    }

    @Test func invalidUTF8IsError1220UnlessAccepted() throws {
        let bad: [UInt8] = Array("1,a".utf8) + [0xFF] + Array("b,,\n".utf8)
        var output: [UInt8] = []
        let record = try records(bad)[0]
        #expect(RecordConverter(columns: columns, options: CopyOptions(csv: true)).append(record, to: &output)?.code == 1220)
        var accept = CopyOptions(csv: true)
        accept.invalidCharReplacement = UInt8(ascii: "?")
        #expect(RecordConverter(columns: columns, options: accept).append(record, to: &output) == nil)
        #expect(String(decoding: output, as: UTF8.self) == "1\ta?b\t\\N\t\\N\n")
    }

    @Test func typeChecksUseRedshiftCodes() throws {
        #expect(try convert("x1,a,,").1?.code == 1207)
        #expect(try convert(",a,,").1?.code == 1213)
        #expect(try convert("1,a,12345.6,").1?.code == 1209)
        #expect(try convert("1,a,1.239,").0 == "1\ta\t1.23\t\\N\n")     // truncated, not rounded, without ROUNDEC
        #expect(try convert("1,a,,2024-02-30 10:00:00").1?.code == 1206)
        var auto = CopyOptions(csv: true)
        auto.timeFormat = "auto"
        #expect(try convert("1,a,,2024-02-29T10:00:00Z", auto).0 == "1\ta\t\\N\t2024-02-29 10:00:00+00\n")
        #expect(try convert("1,a,,2024-02-29T10:00:00Z").1?.code == 1206, "the default format is YYYY-MM-DD HH:MI:SS")
        #expect(try convert("1,a,,2024-02-29 10:00:00.5+02:00").0 == "1\ta\t\\N\t2024-02-29 10:00:00.5+02:00\n")
        #expect(try convert("1,a,,,extra").1?.code == 1202)
        #expect(try convert("1,a").1?.code == 1203)
        var fill = CopyOptions(csv: true)
        fill.fillRecord = true
        #expect(try convert("1,a", fill).0 == "1\ta\t\\N\t\\N\n")
    }

    @Test func datesInAutoFormat() {
        #expect(DateTimeParser.date("2024-01-31", auto: false) == "2024-01-31")
        #expect(DateTimeParser.date("01/31/2024", auto: true) == "2024-01-31")
        #expect(DateTimeParser.date("20240131", auto: true) == "2024-01-31")
        #expect(DateTimeParser.date("Jan 31, 2024", auto: true) == "2024-01-31")
        #expect(DateTimeParser.date("01/31/2024", auto: false) == nil)
        #expect(DateTimeParser.date("2023-02-29", auto: true) == nil)
        #expect(DateTimeParser.timestamp("1700000000", format: "epochsecs", withTimeZone: false) == "2023-11-14 22:13:20")
    }

    @Test func timestampsWithoutTimeFormatAreExactlyTheDefault() {
        // r_DATEFORMAT_and_TIMEFORMAT_strings: YYYY-MM-DD HH:MI:SS (fractions to microseconds),
        // TIMESTAMPTZ with an optional offset.
        #expect(DateTimeParser.timestamp("2024-01-31 10:00:00", format: nil, withTimeZone: false) == "2024-01-31 10:00:00")
        #expect(DateTimeParser.timestamp("2024-01-31 10:00:00.123456", format: nil, withTimeZone: true) == "2024-01-31 10:00:00.123456+00")
        #expect(DateTimeParser.timestamp("2024-01-31 10:00:00-8:00", format: nil, withTimeZone: true) == "2024-01-31 10:00:00-08:00")
        for text in ["2024-01-31T10:00:00", "2024-01-31", "2024-01-31 10:00", "01/31/2024 10:00:00", "2024-01-31 10:00:00+00",
                     "2024-01-31 10:00:00.1234567", "2024-01-31 24:00:00"] {
            #expect(DateTimeParser.timestamp(text, format: nil, withTimeZone: false) == nil, "\(text)")
        }
        #expect(DateTimeParser.timestamp("2024-01-31T10:00:00", format: "auto", withTimeZone: false) == "2024-01-31 10:00:00")
    }

    @Test func formatKeywordsAreCaseSensitive() throws {
        #expect(try CopyOptionParser.format("auto", option: "TIMEFORMAT", keywords: ["auto"], default: "YYYY-MM-DD HH:MI:SS") == "auto")
        #expect(try CopyOptionParser.format("YYYY-MM-DD HH:MI:SS", option: "TIMEFORMAT", keywords: ["auto"], default: "YYYY-MM-DD HH:MI:SS") == nil)
        #expect(throws: PGError.self) { try CopyOptionParser.format("AUTO", option: "TIMEFORMAT", keywords: ["auto"], default: "YYYY-MM-DD HH:MI:SS") }
        #expect(throws: PGError.self) { try CopyOptionParser.format("EpochSecs", option: "TIMEFORMAT", keywords: ["epochsecs"], default: "YYYY-MM-DD HH:MI:SS") }
    }

    @Test func varbyteLoadsFromHex() throws {
        let bytes = [LoadColumn(name: "b", typname: "bytea", typmod: -1, notNull: false, typeName: "bytea")]
        var output: [UInt8] = []
        let good = try records(Array("6162FF\n".utf8))[0]
        #expect(RecordConverter(columns: bytes, options: CopyOptions(csv: true)).append(good, to: &output) == nil)
        #expect(String(decoding: output, as: UTF8.self) == "\\\\x6162FF\n", "PostgreSQL's bytea input, its backslash escaped for COPY text")
        #expect(RecordConverter(columns: bytes, options: CopyOptions(csv: true)).append(try records(Array("616\n".utf8))[0], to: &output)?.code == 1241)
        #expect(RecordConverter(columns: bytes, options: CopyOptions(csv: true)).append(try records(Array("zz\n".utf8))[0], to: &output)?.code == 1241)
    }
}

extension CopyOptions {
    init(csv: Bool) {
        self.init()
        self.csv = csv
    }
}
