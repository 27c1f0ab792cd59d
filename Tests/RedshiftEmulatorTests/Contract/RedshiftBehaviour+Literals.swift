import Testing

extension RedshiftBehaviour {
    /// `'...'` processes backslash escapes (PostgreSQL 8.0; QUOTE_LITERAL "doubles any embedded
    /// single quotation marks and backslashes"); there is no `E'...'`.
    static func literalsTakeBackslashEscapes(_ endpoint: RedshiftEndpoint) async throws {
        let result = try await endpoint.psql(#"SELECT length('\\'), ascii('\t'), 'it\'s', '\N', 'a''b'"#,
                                             "SELECT E'x'")
        #expect(result.lines == [#"1|9|it's|N|a'b"#], "\(endpoint.name): \(result.stderr)")
        #expect(result.stderr.contains(#"type "e" does not exist"#), "\(endpoint.name): \(result.stderr)")
    }

    /// COPY's option values are literals read the same way: `NULL AS '\N'` is the marker `N`,
    /// `NULL AS '\\N'` the marker `\N`, `DELIMITER '\t'` a tab.
    static func copyOptionsAreLiteralsToo(_ endpoint: RedshiftEndpoint) async throws {
        let folder = try await endpoint.upload(["n.csv": Array(#"1,\N,\N"#.utf8) + Array("\n2,N,7\n".utf8), "t.txt": Array("1\tx\n".utf8)])
        let table = endpoint.table("nullas"), tabbed = endpoint.table("tab")
        try await endpoint.cleaningUp(tables: [table, tabbed], folders: [folder]) {
            let result = try await endpoint.psql(
                "CREATE TABLE \(table) (id int, t varchar(5), n int)",
                #"COPY \#(table) \#(endpoint.from(folder + "n.csv")) CSV NULL AS '\\N'"#,
                "SELECT id, coalesce(t, '<null>'), coalesce(CAST(n AS varchar), '<null>') FROM \(table) ORDER BY id",
                #"COPY \#(table) \#(endpoint.from(folder + "n.csv")) CSV NULL AS '\N'"#,
                "SELECT count(*) FROM \(table)",
                "CREATE TABLE \(tabbed) (id int, t varchar(5))",
                #"COPY \#(tabbed) \#(endpoint.from(folder + "t.txt")) DELIMITER '\t'"#,
                "SELECT id, t FROM \(tabbed)")
            // With the marker N, the file's \N is text: in the int column n it fails the load.
            #expect(result.lines == ["1|<null>|<null>", "2|N|7", "2", "1|x"], "\(endpoint.name): \(result.stderr)")
            #expect(result.stderr.contains("' failed."), "\(endpoint.name): \(result.stderr)")
        }
    }
}
