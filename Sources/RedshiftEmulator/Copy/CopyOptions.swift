import RedshiftCSV

/// The data-format and conversion options of a COPY, with Redshift's defaults.
struct CopyOptions: Sendable {
    enum Compression: Sendable { case none, gzip, zstd }

    /// `JSON 'auto' | 'auto ignorecase' | 's3://jsonpaths'` given (copy-parameters-data-format).
    enum JSONOption: Sendable, Equatable {
        case auto(ignoreCase: Bool)
        case pathsFile(S3Location)
    }

    /// `CSV` given (otherwise Redshift's delimited text format, `|` by default).
    var csv = false
    /// `JSON ...` given: records are JSON objects or arrays, not delimited lines.
    var json: JSONOption?
    /// `NULL AS` was given (JSON does not accept it).
    var nullStringGiven = false
    var delimiter: UInt8?
    /// `QUOTE AS` (CSV only), default `"`.
    var quote: UInt8 = UInt8(ascii: "\"")
    var compression: Compression = .none
    var ignoreHeader = 0
    /// `NULL AS`, default `\N`.
    var nullString: [UInt8] = Array("\\N".utf8)
    var emptyAsNull = false
    var blanksAsNull = false
    /// `ACCEPTINVCHARS [AS 'c']`: replacement byte for invalid UTF-8, nil when not given.
    var invalidCharReplacement: UInt8?
    var truncateColumns = false
    var trimBlanks = false
    var fillRecord = false
    var roundDecimals = false
    /// `DATEFORMAT`: nil = default `YYYY-MM-DD`; "auto".
    var dateFormat: String?
    /// `TIMEFORMAT`: nil = default; "auto", "epochsecs", "epochmillisecs".
    var timeFormat: String?
    var maxErrors = 0
    /// `EXPLICIT_IDS`: the file supplies the IDENTITY columns' values.
    var explicitIDs = false

    /// The field delimiter in effect.
    var effectiveDelimiter: UInt8 { delimiter ?? (csv ? UInt8(ascii: ",") : UInt8(ascii: "|")) }

    /// The reader's dialect. Without CSV (Redshift's delimited text format) nothing is quoted:
    /// the quote becomes NUL, a byte Redshift rejects in text anyway.
    var csvFormat: CSVFormat {
        (try? CSVFormat(delimiter: effectiveDelimiter, quote: csv ? quote : 0, nullMarker: String(decoding: nullString, as: UTF8.self)))
            ?? .default
    }
}

/// Reads COPY's options after the `FROM 's3://...'`.
struct CopyOptionParser {
    let tokens: [SQLToken]
    var index = 0

    init(tokens: [SQLToken]) {
        self.tokens = tokens
    }

    private mutating func next() -> SQLToken? {
        guard index < tokens.count else { return nil }
        defer { index += 1 }
        return tokens[index]
    }

    private func peek() -> SQLToken? { index < tokens.count ? tokens[index] : nil }

    /// A string argument, after an optional `AS`.
    private mutating func string(for option: String) throws -> String {
        if peek()?.is("AS") == true { index += 1 }
        guard let token = next(), token.kind == .string else { throw CopyCommand.syntax("\(option) needs a quoted value") }
        return token.text
    }

    private mutating func integer(for option: String) throws -> Int {
        if peek()?.is("AS") == true { index += 1 }
        guard let token = next(), token.kind == .number, let value = Int(token.text) else { throw CopyCommand.syntax("\(option) needs a number") }
        return value
    }

    private mutating func singleByte(for option: String) throws -> UInt8 {
        let value = Array(try string(for: option).utf8)
        guard value.count == 1 else { throw CopyCommand.syntax("\(option) must be a single ASCII character") }
        return value[0]
    }

    mutating func parse(into command: inout CopyCommand) throws {
        var escape = false
        var removeQuotes = false
        var accessKeyID: String?
        var secretAccessKey: String?
        var sessionToken: String?
        while let token = next() {
            if token.isSymbol(";") { continue }
            guard token.kind == .word else { throw CopyCommand.syntax("syntax error at or near \"\(token.text)\"") }
            switch token.text.uppercased() {
            case "IAM_ROLE":
                if let value = peek(), value.kind == .string { index += 1; command.authorization = .iamRole(value.text) }
                else if peek()?.is("DEFAULT") == true { index += 1; command.authorization = .iamRole("default") }
                else { throw CopyCommand.syntax("IAM_ROLE needs 'arn:aws:iam::<account>:role/<name>' or default") }
            case "ACCESS_KEY_ID": accessKeyID = try string(for: "ACCESS_KEY_ID")
            case "SECRET_ACCESS_KEY": secretAccessKey = try string(for: "SECRET_ACCESS_KEY")
            case "SESSION_TOKEN": sessionToken = try string(for: "SESSION_TOKEN")
            case "CREDENTIALS", "WITH":
                if token.is("WITH") { guard next()?.is("CREDENTIALS") == true else { throw CopyCommand.syntax("expected CREDENTIALS after WITH") } }
                command.authorization = try Self.credentials(try string(for: "CREDENTIALS"))
            case "REGION": command.region = try string(for: "REGION")
            case "MANIFEST": command.manifest = true
            case "FORMAT":
                if peek()?.is("AS") == true { index += 1 }
                guard let format = next() else { throw CopyCommand.syntax("FORMAT needs a format") }
                if format.is("CSV") { command.options.csv = true; try quoteOption(&command) }
                else if format.is("JSON") { try jsonOption(&command) }
                else if Self.columnarFormats.contains(format.text.uppercased()) { throw Self.columnarNotSupported(format.text) }
                else { throw PGError.notSupported("COPY FORMAT \(format.text.uppercased())") }
            case "CSV": command.options.csv = true; try quoteOption(&command)
            case "JSON": try jsonOption(&command)
            case "PARQUET", "ORC", "AVRO": throw Self.columnarNotSupported(token.text)
            case "DELIMITER": command.options.delimiter = try singleByte(for: "DELIMITER")
            case "GZIP": command.options.compression = .gzip
            case "ZSTD": command.options.compression = .zstd
            case "BZIP2", "LZOP":
                throw PGError.notSupported("COPY with \(token.text.uppercased()) compression")
            case "IGNOREHEADER": command.options.ignoreHeader = try integer(for: "IGNOREHEADER")
            case "NULL": command.options.nullString = Array(try string(for: "NULL AS").utf8); command.options.nullStringGiven = true
            case "EMPTYASNULL": command.options.emptyAsNull = true
            case "BLANKSASNULL": command.options.blanksAsNull = true
            case "ACCEPTINVCHARS":
                command.options.invalidCharReplacement = UInt8(ascii: "?")
                if peek()?.is("AS") == true || peek()?.kind == .string {
                    command.options.invalidCharReplacement = try singleByte(for: "ACCEPTINVCHARS")
                }
            case "TRUNCATECOLUMNS": command.options.truncateColumns = true
            case "TRIMBLANKS": command.options.trimBlanks = true
            case "FILLRECORD": command.options.fillRecord = true
            case "ROUNDEC": command.options.roundDecimals = true
            case "DATEFORMAT": command.options.dateFormat = try string(for: "DATEFORMAT")
            case "TIMEFORMAT": command.options.timeFormat = try string(for: "TIMEFORMAT")
            case "MAXERROR":
                command.options.maxErrors = try integer(for: "MAXERROR")
                // "The MAXERROR default value is 0 and the limit is 100000" (copy-parameters-data-load);
                // what Redshift does above it is not documented: refused here, the stricter choice.
                guard command.options.maxErrors <= 100_000 else { throw CopyCommand.syntax("MAXERROR \(command.options.maxErrors) is above the limit of 100000") }
            case "COMPUPDATE", "STATUPDATE":
                if let value = peek(), ["ON", "OFF", "TRUE", "FALSE", "PRESET"].contains(value.text.uppercased()) { index += 1 }
            case "ESCAPE": escape = true
            case "REMOVEQUOTES": removeQuotes = true
            case "EXPLICIT_IDS": command.options.explicitIDs = true
            case "ACCEPTANYDATE", "BLANKSASNULLS", "TRUNCATECOLUMN":
                throw PGError.notSupported("COPY option \(token.text.uppercased())")
            default:
                throw PGError.notSupported("COPY option \(token.text.uppercased())")
            }
        }
        if command.options.json != nil {
            // copy-parameters-data-format: "The following options are not supported with JSON".
            let options = command.options
            let conflicts = [("CSV", options.csv), ("DELIMITER", options.delimiter != nil), ("ESCAPE", escape),
                             ("FILLRECORD", options.fillRecord), ("NULL AS", options.nullStringGiven), ("REMOVEQUOTES", removeQuotes)]
            if let conflict = conflicts.first(where: { $0.1 }) {
                throw PGError(code: "42601", message: "\(conflict.0) is not supported with JSON")
            }
        }
        if command.options.csv && (escape || removeQuotes) {
            throw PGError(code: "42601", message: "CSV is not compatible with \(escape ? "ESCAPE" : "REMOVEQUOTES")")
        }
        if command.options.json == nil {
            do {
                _ = try CSVFormat(delimiter: command.options.effectiveDelimiter, quote: command.options.csv ? command.options.quote : 0,
                                  nullMarker: String(decoding: command.options.nullString, as: UTF8.self))
            } catch {
                throw PGError(code: "42601", message: "COPY: \(error.message)")
            }
        }
        if escape || removeQuotes { throw PGError.notSupported("COPY option \(escape ? "ESCAPE" : "REMOVEQUOTES")") }
        command.options.timeFormat = try Self.format(command.options.timeFormat, option: "TIMEFORMAT",
                                                     keywords: ["auto", "epochsecs", "epochmillisecs"], default: "YYYY-MM-DD HH:MI:SS")
        command.options.dateFormat = try Self.format(command.options.dateFormat, option: "DATEFORMAT", keywords: ["auto"], default: "YYYY-MM-DD")
        if accessKeyID != nil || secretAccessKey != nil {
            guard let accessKeyID, let secretAccessKey else {
                throw PGError(code: "42601", message: "COPY: ACCESS_KEY_ID and SECRET_ACCESS_KEY must be given together")
            }
            command.authorization = .keys(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
        }
        if case .none = command.authorization {
            throw PGError(code: "42601", message: "COPY from S3 needs authorization: IAM_ROLE, ACCESS_KEY_ID/SECRET_ACCESS_KEY or CREDENTIALS")
        }
    }

    /// A DATEFORMAT/TIMEFORMAT argument: a keyword, which is case-sensitive ("The 'auto' keyword is
    /// case-sensitive", copy-parameters-data-conversion), or a format string; nil stands for the
    /// default format (r_DATEFORMAT_and_TIMEFORMAT_strings). The emulator reads the default format
    /// string only; it returns nil for it.
    static func format(_ value: String?, option: String, keywords: [String], default defaultFormat: String) throws -> String? {
        guard let value else { return nil }
        if keywords.contains(value) { return value }
        if keywords.contains(value.lowercased()) {
            throw PGError(code: "22023", message: "COPY: \(option) '\(value)' is not a format: '\(value.lowercased())' is case-sensitive")
        }
        if value.uppercased() == defaultFormat { return nil }
        throw PGError.notSupported("\(option) '\(value)' (use '\(defaultFormat)' or 'auto')")
    }

    /// Formats Redshift loads that the emulator cannot read: there is no maintained Parquet, ORC or
    /// Avro reader for Swift among the packages this project may use.
    static let columnarFormats: Set<String> = ["PARQUET", "ORC", "AVRO"]

    static func columnarNotSupported(_ format: String) -> PGError {
        PGError(code: "0A000", message: "COPY FORMAT \(format.uppercased()) is not supported by redshift-emulator",
                detail: "the emulator reads CSV, delimited text and JSON (with GZIP or ZSTD); write one of those for local loads")
    }

    /// `JSON [AS] 'auto' | 'auto ignorecase' | 's3://jsonpaths_file'`; the argument is optional
    /// ("The default is 'auto'") and its keywords are lower case, as documented.
    private mutating func jsonOption(_ command: inout CopyCommand) throws {
        if peek()?.is("AS") == true { index += 1 }
        guard let argument = peek(), argument.kind == .string else {
            command.options.json = .auto(ignoreCase: false)
            return
        }
        index += 1
        switch argument.text {
        case "auto": command.options.json = .auto(ignoreCase: false)
        case "auto ignorecase": command.options.json = .auto(ignoreCase: true)
        default:
            guard let location = S3Location(url: argument.text), !location.key.isEmpty, argument.text.hasPrefix("s3://") else {
                throw CopyCommand.syntax("JSON takes 'auto', 'auto ignorecase' or 's3://bucket/jsonpaths-file', not '\(argument.text)'")
            }
            command.options.json = .pathsFile(location)
        }
    }

    private mutating func quoteOption(_ command: inout CopyCommand) throws {
        if peek()?.is("QUOTE") == true {
            index += 1
            command.options.quote = try singleByte(for: "QUOTE")
        }
    }

    /// `aws_access_key_id=..;aws_secret_access_key=..[;token=..]` or `aws_iam_role=arn`.
    static func credentials(_ text: String) throws -> CopyAuthorization {
        var values: [String: String] = [:]
        for part in text.split(separator: ";") {
            guard let equals = part.firstIndex(of: "=") else { continue }
            values[part[..<equals].lowercased()] = String(part[part.index(after: equals)...])
        }
        if let role = values["aws_iam_role"] { return .iamRole(role) }
        guard let id = values["aws_access_key_id"], let secret = values["aws_secret_access_key"] else {
            throw PGError(code: "42601", message: "Invalid credentials. Must be of the format: credentials 'aws_iam_role=...' or 'aws_access_key_id=...;aws_secret_access_key=...[;token=...]'")
        }
        return .keys(accessKeyID: id, secretAccessKey: secret, sessionToken: values["token"])
    }
}
