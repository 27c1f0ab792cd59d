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

    /// What `rrr verify`'s checksum uses: STRTOL as r_STRTOL's examples, MD5 as r_MD5's,
    /// `TO_CHAR(..., 'YYYY-MM-DD HH24:MI:SS.US')` (r_FORMAT_strings) and SUM of BIGINT (r_SUM).
    static func checksumFunctions(_ endpoint: RedshiftEndpoint) async throws {
        let result = try await endpoint.psql(
            "SELECT strtol('0xf', 16), strtol('abcd1234', 16), strtol('1234567', 8), strtol('110101', 2), strtol('', 2), strtol(NULL, 16) IS NULL",
            "SELECT md5('Amazon Redshift'), strtol(substring(md5('x'), 1, 8), 16)",
            "SELECT to_char(CAST('2024-02-29 23:59:58.000123' AS TIMESTAMP), 'YYYY-MM-DD HH24:MI:SS.US')",
            "SELECT CAST(SUM(strtol('ffffffff', 16)) AS VARCHAR) FROM (SELECT 1 AS x UNION ALL SELECT 2) t")
        #expect(result.lines == ["15|2882343476|342391|53|0|t", "f7415e33f972c03abd4f3fed36748f7a|2647975009",
                                 "2024-02-29 23:59:58.000123", "8589934590"], "\(endpoint.name): \(result.stderr)")
    }
}
