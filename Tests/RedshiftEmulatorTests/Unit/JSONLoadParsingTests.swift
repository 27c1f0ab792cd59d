import Testing
@testable import RedshiftEmulator

@Suite("JSON load files: scanner, parser, JSONPaths")
struct JSONLoadParsingTests {
    func scan(_ text: String, chunk: Int = 3, ignoreHeader: Int = 0) -> [JSONRecordScanner.Item] {
        var scanner = JSONRecordScanner(ignoreHeader: ignoreHeader)
        var items: [JSONRecordScanner.Item] = []
        let bytes = Array(text.utf8)
        // Fed in small chunks: a record may end anywhere in a chunk, or span several.
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            bytes[start..<min(start + chunk, bytes.count)].withUnsafeBytes { scanner.feed($0) }
            while let item = scanner.next() { items.append(item) }
        }
        scanner.finish()
        while let item = scanner.next() { items.append(item) }
        return items
    }

    @Test func recordsEndOnTheirLastLineWhateverTheChunking() {
        let text = "{\"a\": \"}\\\"{\"}\n[1,\n 2]\n  {\"b\":\n\n {\"c\": [3]}}"
        for chunk in [1, 2, 5, 100] {
            #expect(scan(text, chunk: chunk) == [
                .record(bytes: Array("{\"a\": \"}\\\"{\"}".utf8), line: 1),
                .record(bytes: Array("[1,\n 2]".utf8), line: 3),
                .record(bytes: Array("{\"b\":\n\n {\"c\": [3]}}".utf8), line: 6),
            ])
        }
    }

    @Test func textBetweenRecordsIsOneErrorUpToTheNextRecord() {
        let items = scan("{\"a\":1} oops, more\ntext {\"a\":2} tail")
        #expect(items.count == 4)
        #expect(items[1] == .invalid(bytes: Array("oops, more\ntext".utf8), line: 1, reason: "Invalid JSON: text outside a root-level object or array"))
        #expect(items[3] == .invalid(bytes: Array("tail".utf8), line: 2, reason: "Invalid JSON: text outside a root-level object or array"))
    }

    @Test func ignoreHeaderSkipsLinesAndAnOpenObjectAtTheEndIsAnError() {
        let items = scan("header line\n{\"a\":1}\n{\"a\":", ignoreHeader: 1)
        #expect(items.first == .record(bytes: Array("{\"a\":1}".utf8), line: 2))
        guard case .invalid(_, let line, _) = items.last else { Issue.record("no error for the open object"); return }
        #expect(line == 3)
    }

    @Test func parserKeepsTextAndDecodesStrings() throws {
        let node = try JSONParser.parse(Array(#"{"s": "a\u00e9\ud83d\ude00\n", "n": -1.50e+3, "o": {"x" : [ true, null ]}, "s": "last"}"#.utf8))
        #expect(node.member(Array("n".utf8)) == .number(text: Array("-1.50e+3".utf8)))
        #expect(node.member(Array("o".utf8))?.text == Array(#"{"x" : [ true, null ]}"#.utf8))
        // A repeated key: the last one wins (as most JSON readers do; Redshift's docs are silent).
        guard case .string(let content, _)? = node.member(Array("s".utf8)) else { Issue.record("no string"); return }
        #expect(content == Array("last".utf8))
        guard case .string(let decoded, _)? = try JSONParser.parse(Array(#"["a\u00e9\ud83d\ude00\n"]"#.utf8)).element(0) else { Issue.record("no element"); return }
        #expect(String(decoding: decoded, as: UTF8.self) == "aé😀\n")
    }

    @Test func parserRefusesWhatIsNotJSON() {
        for bad in [#"{"a": tru}"#, #"{"a" 1}"#, #"{'a': 1}"#, #"[1,]"#, #"{"a": 01}"#, #"["\x"]"#, "[\"raw\ttab\"]", #"["\ud800"]"#, #"{"a":1} x"#] {
            #expect(throws: JSONSyntaxError.self, "\(bad)") { try JSONParser.parse(Array(bad.utf8)) }
        }
    }

    @Test func jsonPathExpressions() throws {
        let record = try JSONParser.parse(Array(#"{"store": {"book": [{"title": "a"}, {"title": "b"}]}, "dot.key": 1}"#.utf8))
        #expect(try JSONPathExpression("$['store']['book'][1]['title']").evaluate(record)?.text == Array("\"b\"".utf8))
        #expect(try JSONPathExpression("$.store.book[0].title").evaluate(record)?.text == Array("\"a\"".utf8))
        #expect(try JSONPathExpression("$['dot.key']").evaluate(record)?.text == Array("1".utf8))
        #expect(try JSONPathExpression("$.store.missing").evaluate(record) == nil)
        for bad in ["store.book", "$", "$.a[-1]", "$.a['b']", "$['a'", "$.a[x]", "$.a*"] {
            #expect(throws: PGError.self, "\(bad)") { try JSONPathExpression(bad) }
        }
    }

    @Test func jsonPathsFileOtherThanJsonpathsMeansAuto() throws {
        guard case .auto = try JSONColumnMapping.fromJSONPathsFile(Array(#"{"paths": ["$.a"]}"#.utf8), columnCount: 1, location: "s3://b/k") else {
            Issue.record("a file without \"jsonpaths\" must mean 'auto'"); return
        }
        guard case .paths(let expressions) = try JSONColumnMapping.fromJSONPathsFile(Array(#"{"jsonpaths": ["$.a", "$.b[2]"]}"#.utf8), columnCount: 2, location: "s3://b/k") else {
            Issue.record("paths not read"); return
        }
        #expect(expressions.count == 2)
    }
}
