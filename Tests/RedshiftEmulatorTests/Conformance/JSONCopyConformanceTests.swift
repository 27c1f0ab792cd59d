import Foundation
import RedshiftEmulator
import Testing

/// `COPY ... FORMAT AS JSON` (copy-parameters-data-format, copy-usage_notes-copy-from-json).
extension ConformanceSuites {
@Suite("COPY from JSON")
struct JSONCopyConformanceTests {
    let bucket = TestServices.s3Bucket
    var iamRole: String { "IAM_ROLE 'arn:aws:iam::123456789012:role/rrr-loader'" }

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Objects spanning lines, keys in any order, unknown keys ignored, missing keys NULL, nested
    /// values as their JSON text, escapes decoded, SUPER keeping the value itself.
    let objects = """
        {"id": 1, "name": "first\\nsecond\\ttab \\\\ \\"q\\" \\u00e9\\ud83d\\ude00", "ignored": 5,
         "tags": ["a", {"b": 2}], "doc": {"k": [1, 2.5, null]}, "flag": true, "amount": 12.345}
        {"amount": -1, "id": 2, "flag": false, "name": "", "doc": "just text"}
        {"id": 3, "name": null, "tags": null, "doc": null, "flag": null}
        """

    @Test func autoMapsLowercaseKeysToColumns() async throws {
        let prefix = try await TestServices.upload(["o.json": bytes(objects)])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("jsonauto")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (id int, name varchar(100), tags varchar(100), doc super, flag boolean, amount numeric(10,2), missing int)",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)o.json' \(iamRole) FORMAT AS JSON 'auto'",
                "SELECT pg_last_copy_count()",
                "SELECT id, coalesce(name, '<null>'), coalesce(tags, '<null>'), coalesce(json_serialize(doc), '<null>'), coalesce(flag::text, '<null>'), coalesce(amount::text, '<null>'), coalesce(missing::text, '<null>') FROM \(table) ORDER BY id")
            #expect(!result.stderr.contains("ERROR"), "\(result.stderr)")
            #expect(result.lines == [
                "3",
                "1|first", "second\ttab \\ \"q\" é😀|[\"a\", {\"b\": 2}]|{\"k\": [1, 2.5, null]}|true|12.34|<null>",
                "2||<null>|\"just text\"|false|-1.00|<null>",
                "3|<null>|<null>|<null>|<null>|<null>|<null>",
            ])
        }
    }

    @Test func autoIsCaseSensitiveUnlessIgnoreCase() async throws {
        let prefix = try await TestServices.upload(["c.json": bytes(#"{"ID": 7, "Name": "upper"} {"id": 8, "name": "lower"}"#)])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("jsoncase")
            let sensitive = try await emulator.psql(
                "CREATE TABLE \(table) (id int, name varchar(10))",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)c.json' \(iamRole) JSON 'auto'",
                "SELECT coalesce(id::text, '<null>'), coalesce(name, '<null>') FROM \(table) ORDER BY id NULLS FIRST")
            #expect(sensitive.lines == ["<null>|<null>", "8|lower"], "\(sensitive.stderr)")
            let ignoring = try await emulator.psql(
                "TRUNCATE \(table)",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)c.json' \(iamRole) JSON 'auto ignorecase'",
                "SELECT id, name FROM \(table) ORDER BY id")
            #expect(ignoring.lines == ["7|upper", "8|lower"], "\(ignoring.stderr)")
        }
    }

    @Test func jsonPathsFileMapsDeepElementsAndArrays() async throws {
        let data = #"{"user": {"id": 1, "name": "ana"}, "scores": [10, 20]} ["unused"]"#
        let paths = #"{"jsonpaths": ["$['user']['id']", "$['user']['name']", "$['scores'][1]", "$['scores']"]}"#
        let arrays = #"[5, "five", 50, [5]] [6, "six", 60, []]"#
        let arrayPaths = #"{"jsonpaths": ["$[0]", "$[1]", "$[2]", "$[3]"]}"#
        let prefix = try await TestServices.upload([
            "d.json": bytes(data), "paths.json": bytes(paths), "arrays.json": bytes(arrays), "arraypaths.json": bytes(arrayPaths),
        ])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("jsonpaths")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (id int, name varchar(10), second int, scores varchar(20))",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)d.json' \(iamRole) JSON 's3://\(bucket)/\(prefix)paths.json' MAXERROR 5",
                "SELECT id, name, second, scores FROM \(table) ORDER BY id",
                "SELECT err_code FROM stl_load_errors WHERE query = pg_last_copy_id()",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)arrays.json' \(iamRole) JSON AS 's3://\(bucket)/\(prefix)arraypaths.json'",
                "SELECT id, name, second, scores FROM \(table) WHERE id > 1 ORDER BY id")
            // The array record ["unused"] has no $['user'] path: every column NULL, id included.
            #expect(result.lines == ["1|ana|20|[10, 20]", "|||", "5|five|50|[5]", "6|six|60|[]"], "\(result.stderr)")
        }
    }

    @Test func wrongPathCountAndMixedNotationFail() async throws {
        let prefix = try await TestServices.upload([
            "d.json": bytes(#"{"a": 1}"#),
            "two.json": bytes(#"{"jsonpaths": ["$.a", "$.b"]}"#),
            "mixed.json": bytes(#"{"jsonpaths": ["$.a", "$['b']"]}"#),
        ])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("jsonpathcount")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (a int)",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)d.json' \(iamRole) JSON 's3://\(bucket)/\(prefix)two.json'",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)d.json' \(iamRole) JSON 's3://\(bucket)/\(prefix)mixed.json'")
            #expect(result.stderr.contains("Number of jsonpaths and the number of columns should match. JSONPath size: 2, Number of columns in table or column list: 1"), "\(result.stderr)")
            #expect(result.stderr.contains("bracket and dot notation cannot be mixed"), "\(result.stderr)")
        }
    }

    @Test func compressedFilesAndLoadErrors() async throws {
        let good = bytes("{\"id\": 1, \"n\": 10}\n{\"id\": 2, \"n\": 20}\n")
        let bad = bytes("{\"id\": 3, \"n\": 30}\n{\"id\": 4, \"n\": \"x\"}\nnot json\n{\"id\": 5,\n \"n\": tru}\n{\"id\": 6, \"n\": 60}\n")
        let prefix = try await TestServices.upload([
            "g.json.gz": try TestServices.compress(good, with: "gzip"),
            "z.json.zst": try TestServices.compress(good, with: "zstd"),
            "bad.json": bad,
        ])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("jsonerrors")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (id int, n int)",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)g.json' \(iamRole) JSON 'auto' GZIP",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)z.json' \(iamRole) JSON 'auto' ZSTD",
                "SELECT count(*), sum(n) FROM \(table)",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)bad.json' \(iamRole) JSON 'auto' MAXERROR 10",
                "SELECT line_number, err_code FROM stl_load_errors WHERE query = pg_last_copy_id() ORDER BY line_number",
                "SELECT id FROM \(table) WHERE id > 2 ORDER BY id",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)bad.json' \(iamRole) JSON 'auto'")
            // Line numbers: the last line of the rejected object (copy-parameters-data-format).
            #expect(result.lines == ["4|60", "2|1207", "3|1216", "5|1216", "3", "6"], "\(result.stderr)")
            #expect(result.stderr.contains("Load into table '\(table)' failed"), "\(result.stderr)")
        }
    }

    @Test func optionsJSONDoesNotTakeAndColumnarFormats() async throws {
        let prefix = try await TestServices.upload(["d.json": bytes(#"{"a": 1}"#)])
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("jsonoptions")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (a int)",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)d.json' \(iamRole) JSON 'auto' CSV",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)d.json' \(iamRole) JSON 'auto' DELIMITER '|'",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)d.json' \(iamRole) FORMAT AS JSON 'AUTO'",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)d.json' \(iamRole) FORMAT AS PARQUET",
                "COPY \(table) FROM 's3://\(bucket)/\(prefix)d.json' \(iamRole) ORC")
            #expect(result.stderr.contains("CSV is not supported with JSON"), "\(result.stderr)")
            #expect(result.stderr.contains("DELIMITER is not supported with JSON"), "\(result.stderr)")
            #expect(result.stderr.contains("JSON takes 'auto', 'auto ignorecase' or 's3://bucket/jsonpaths-file', not 'AUTO'"), "\(result.stderr)")
            #expect(result.stderr.contains("COPY FORMAT PARQUET is not supported by redshift-emulator"), "\(result.stderr)")
            #expect(result.stderr.contains("COPY FORMAT ORC is not supported by redshift-emulator"), "\(result.stderr)")
        }
    }
}
}
