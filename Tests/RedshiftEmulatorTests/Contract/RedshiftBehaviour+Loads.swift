import Testing

extension RedshiftBehaviour {
    /// MAXERROR n: "If the load returns the error_count number of errors or greater, the load
    /// fails"; 0 and 1 both fail at the first error.
    static func maxErrorFailsAtTheCount(_ endpoint: RedshiftEndpoint) async throws {
        let folder = try await endpoint.upload(["e.csv": Array("1\nx\n3\ny\n5\n".utf8)])
        let table = endpoint.table("maxerror")
        try await endpoint.cleaningUp(tables: [table], folders: [folder]) {
            let copy = "COPY \(table) \(endpoint.from(folder + "e.csv")) CSV MAXERROR"
            let result = try await endpoint.psql(
                "CREATE TABLE \(table) (id int)",
                "\(copy) 2", "SELECT count(*) FROM \(table)",
                "\(copy) 1", "SELECT count(*) FROM \(table)",
                "\(copy) 3", "SELECT count(*) FROM \(table)")
            #expect(result.lines == ["0", "0", "3"], "\(endpoint.name): \(result.stderr)")
            #expect(result.stderr.components(separatedBy: "' failed.").count - 1 == 2, "\(endpoint.name): \(result.stderr)")
        }
    }

    /// PG_LAST_COPY_ID: a COPY failing on its data updates it ("so you can use PG_LAST_COPY_ID when
    /// you query STL_LOAD_ERRORS"); "If the COPY transaction is rolled back, the COPY ID is not
    /// updated". The rejected rows are in SYS_LOAD_ERROR_DETAIL (provisioned and Serverless), found
    /// by their file name too.
    static func lastCopyIDAndLoadErrors(_ endpoint: RedshiftEndpoint) async throws {
        let folder = try await endpoint.upload(["good.csv": Array("1\n2\n".utf8), "bad.csv": Array("1\nbad\n".utf8)])
        let table = endpoint.table("copyid")
        try await endpoint.cleaningUp(tables: [table], folders: [folder]) {
            let result = try await endpoint.psql(
                "CREATE TABLE \(table) (id int)",
                "COPY \(table) \(endpoint.from(folder + "good.csv")) CSV", "SELECT pg_last_copy_id()",
                "BEGIN", "COPY \(table) \(endpoint.from(folder + "good.csv")) CSV", "SELECT pg_last_copy_id()", "ROLLBACK",
                "SELECT pg_last_copy_id()",
                "COPY \(table) \(endpoint.from(folder + "bad.csv")) CSV", "SELECT pg_last_copy_id()",
                "SELECT count(*) FROM sys_load_error_detail WHERE query_id = pg_last_copy_id() AND error_code = 1207",
                "SELECT line_number FROM sys_load_error_detail WHERE file_name LIKE '\(folder)bad%'",
                "SELECT count(*) FROM \(table)")
            let lines = result.lines
            try #require(lines.count == 7, "\(endpoint.name): \(lines) \(result.stderr)")
            #expect(lines[1] != lines[0], "a COPY inside a transaction has its own id")
            #expect(lines[2] == lines[0], "\(endpoint.name): the rolled-back COPY did not update pg_last_copy_id()")
            #expect(lines[3] != lines[0], "\(endpoint.name): the COPY that failed on its data did")
            #expect(Array(lines[4...]) == ["1", "2", "2"], "\(endpoint.name): \(result.stderr)")
        }
    }

    /// A manifest whose files are all missing fails: "Regardless of any mandatory settings, COPY
    /// will terminate if no files are found".
    static func manifestWithNoFileFails(_ endpoint: RedshiftEndpoint) async throws {
        let folder = try await endpoint.upload(["a.csv": Array("1\n".utf8)])
        let manifest = #"{"entries":[{"url":"\#(folder)missing-1.csv","mandatory":false},{"url":"\#(folder)missing-2.csv"}]}"#
        let manifests = try await endpoint.upload(["m.manifest": Array(manifest.utf8)])
        let table = endpoint.table("nofiles")
        try await endpoint.cleaningUp(tables: [table], folders: [folder, manifests]) {
            let result = try await endpoint.psql(
                "CREATE TABLE \(table) (id int)",
                "COPY \(table) \(endpoint.from(manifests + "m.manifest")) MANIFEST CSV",
                "SELECT count(*) FROM \(table)")
            #expect(result.lines == ["0"], "\(endpoint.name): \(result.stderr)")
            #expect(result.stderr.contains("ERROR"), "\(endpoint.name): the COPY must fail")
        }
    }

    /// NUL characters fail a COPY unless `NULL AS '\0'` turns a field of only NUL into NULL
    /// (t_preparing-input-data, copy-parameters-data-conversion).
    static func nulCharactersFailCopy(_ endpoint: RedshiftEndpoint) async throws {
        let folder = try await endpoint.upload(["n.csv": Array("1,a".utf8) + [0] + Array("b\n".utf8), "z.csv": Array("1,".utf8) + [0] + Array("\n".utf8)])
        let table = endpoint.table("nul")
        try await endpoint.cleaningUp(tables: [table], folders: [folder]) {
            let result = try await endpoint.psql(
                "CREATE TABLE \(table) (id int, t varchar(10))",
                "COPY \(table) \(endpoint.from(folder + "n.csv")) CSV",
                "SELECT count(*) FROM \(table)",
                #"COPY \#(table) \#(endpoint.from(folder + "z.csv")) CSV NULL AS '\0'"#,
                "SELECT id, coalesce(t, '<null>') FROM \(table)")
            #expect(result.lines == ["0", "1|<null>"], "\(endpoint.name): \(result.stderr)")
            #expect(result.stderr.contains("' failed."), "\(endpoint.name): \(result.stderr)")
        }
    }

    /// DATEFORMAT/TIMEFORMAT keywords are case-sensitive ("The 'auto' keyword is case-sensitive",
    /// copy-parameters-data-conversion); without TIMEFORMAT a TIMESTAMP is exactly
    /// `YYYY-MM-DD HH:MI:SS` (r_DATEFORMAT_and_TIMEFORMAT_strings).
    static func timeFormatsAreExact(_ endpoint: RedshiftEndpoint) async throws {
        let folder = try await endpoint.upload(["iso.csv": Array("2024-01-31T10:00:00\n".utf8), "plain.csv": Array("2024-01-31 10:00:00.5\n".utf8)])
        let table = endpoint.table("timeformat")
        try await endpoint.cleaningUp(tables: [table], folders: [folder]) {
            let result = try await endpoint.psql(
                "CREATE TABLE \(table) (at timestamp)",
                "COPY \(table) \(endpoint.from(folder + "iso.csv")) CSV",
                "COPY \(table) \(endpoint.from(folder + "iso.csv")) CSV TIMEFORMAT 'AUTO'",
                "SELECT count(*) FROM \(table)",
                "COPY \(table) \(endpoint.from(folder + "plain.csv")) CSV",
                "COPY \(table) \(endpoint.from(folder + "iso.csv")) CSV TIMEFORMAT 'auto'",
                "SELECT CAST(at AS varchar) FROM \(table) ORDER BY at")
            #expect(result.lines == ["0", "2024-01-31 10:00:00", "2024-01-31 10:00:00.5"], "\(endpoint.name): \(result.stderr)")
            #expect(result.stderr.components(separatedBy: "ERROR").count - 1 == 2, "\(endpoint.name): \(result.stderr)")
        }
    }
}
