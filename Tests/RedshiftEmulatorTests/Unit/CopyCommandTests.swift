import Testing
@testable import RedshiftEmulator

@Suite("COPY statement parsing")
struct CopyCommandTests {
    func parse(_ sql: String) -> InterceptedStatement? {
        CopyCommand.classify(tokens: SQLTokenizer.tokenize(sql), sql: sql)
    }

    @Test func everyOptionIsRead() throws {
        let sql = """
            COPY public.users (id, name) FROM 's3://bucket/path/users.csv' CREDENTIALS 'aws_access_key_id=AK;aws_secret_access_key=SK;token=TK'
            REGION 'eu-west-1' CSV QUOTE AS '''' DELIMITER ';' GZIP IGNOREHEADER 1 NULL AS '\\\\N' EMPTYASNULL BLANKSASNULL ACCEPTINVCHARS AS '^'
            TRUNCATECOLUMNS TRIMBLANKS DATEFORMAT 'auto' TIMEFORMAT 'auto' MAXERROR 5 FILLRECORD COMPUPDATE OFF STATUPDATE ON
            """
        guard case .copyFromS3(let command) = parse(sql) else { Issue.record("not parsed: \(String(describing: parse(sql)))"); return }
        #expect(command.table.sql == "public.users")
        #expect(command.columns == ["id", "name"])
        #expect(command.source == S3Location(url: "s3://bucket/path/users.csv"))
        #expect(command.region == "eu-west-1")
        #expect(command.options.csv && command.options.quote == UInt8(ascii: "'") && command.options.delimiter == UInt8(ascii: ";"))
        #expect(command.options.compression == .gzip && command.options.ignoreHeader == 1 && command.options.maxErrors == 5)
        #expect(command.options.nullString == Array("\\N".utf8))
        #expect(command.options.invalidCharReplacement == UInt8(ascii: "^"))
        #expect(command.options.emptyAsNull && command.options.blanksAsNull && command.options.truncateColumns)
        #expect(command.options.trimBlanks && command.options.fillRecord)
        guard case .keys(let id, let secret, let token) = command.authorization else { Issue.record("keys not read"); return }
        #expect(id == "AK" && secret == "SK" && token == "TK")
        #expect(!"\(command.authorization)".contains("SK"))
        #expect(command.redactedSQL.contains("CREDENTIALS '****'") && !command.redactedSQL.contains("aws_secret_access_key=SK"))
    }

    @Test func optionLiteralsTakeRedshiftsBackslashEscapes() {
        // Redshift's literals follow PostgreSQL 8.0: '\N' is N, '\\N' is \N, '\t' a tab.
        for (literal, expected) in [(#"'\N'"#, "N"), (#"'\\N'"#, #"\N"#), (#"'\0'"#, "\0"), (#"'\x41\101\''"#, "AA'")] {
            guard case .copyFromS3(let command) = parse("COPY t FROM 's3://b/k' IAM_ROLE default CSV NULL AS \(literal)") else {
                Issue.record("\(literal) not parsed"); continue
            }
            #expect(command.options.nullString == Array(expected.utf8), "\(literal)")
        }
        guard case .copyFromS3(let tabbed) = parse(#"COPY t FROM 's3://b/k' IAM_ROLE default DELIMITER '\t'"#) else { Issue.record("not parsed"); return }
        #expect(tabbed.options.delimiter == UInt8(ascii: "\t"))
        let tokens = SQLTokenizer.tokenize(#"SELECT 'it\'s; fine', 'a''b'; SELECT 2"#)
        #expect(tokens.filter { $0.kind == .string }.map(\.text) == ["it's; fine", "a'b"])
        #expect(SQLTokenizer.splitStatements(#"SELECT 'it\'s; fine'; SELECT 2"#).count == 2)
    }

    @Test func escapeStringSyntaxIsRefusedAsRedshiftDoes() {
        #expect(SQLTokenizer.escapeStringPrefix(in: SQLTokenizer.tokenize("SELECT e'x'"))?.text == "e")
        #expect(SQLTokenizer.escapeStringPrefix(in: SQLTokenizer.tokenize("SELECT 'e', E 'x', e")) == nil)
    }

    @Test func bzip2IsAClearNotSupported() {
        guard case .invalid(let error) = parse("COPY t FROM 's3://b/k' IAM_ROLE default CSV BZIP2") else { Issue.record("accepted"); return }
        #expect(error.code == "0A000")
        #expect(error.message.contains("BZIP2"))
    }

    @Test func csvWithEscapeIsRefused() {
        guard case .invalid(let error) = parse("COPY t FROM 's3://b/k' IAM_ROLE 'arn:aws:iam::1:role/r' CSV ESCAPE") else { Issue.record("accepted"); return }
        #expect(error.message == "CSV is not compatible with ESCAPE")
    }

    @Test func copyFromStdinIsRelayed() {
        #expect(parse("COPY t FROM STDIN") == nil)
    }

    @Test func redactionHidesEveryCredential() {
        let sql = "COPY t FROM 's3://b/k' ACCESS_KEY_ID 'AKIA123' SECRET_ACCESS_KEY 'verysecret' SESSION_TOKEN 'tok' CSV"
        let redacted = CopyCommand.redacted(sql)
        #expect(!redacted.contains("verysecret") && !redacted.contains("AKIA123") && !redacted.contains("tok'"))
        #expect(!CopyCommand.redacted("COPY t FROM 's3://b/k' CREDENTIALS 'aws_access_key_id=A;aws_secret_access_key=S3CR3T'").contains("S3CR3T"))
    }
}
