import RedshiftCSV

/// The running state of one COPY: the parser for the current file, the checks, the counts and the
/// rejected rows (at most MAXERROR + 1 are kept, each cut to 1024 bytes: memory stays bounded).
struct CopyLoad {
    /// CopyData messages carry about this many bytes.
    static let chunkSize = 256 * 1024

    /// Thrown to stop reading once MAXERROR is passed.
    struct Stop: Error {}

    let command: CopyCommand
    let converter: RecordConverter
    let queryID: Int
    private(set) var loadedRows = 0
    private(set) var errors: [LoadError] = []
    private var parser: FileParser
    private var fileName = ""
    private var recordsInFile = 0
    /// How JSON records map to the columns (nil for delimited files).
    private let jsonMapping: JSONColumnMapping?

    /// A file's records: delimited text (CSV or not) or JSON objects/arrays.
    /// (`taken` stands in while a parser is out for mutation, so its buffer is never copied.)
    private enum FileParser {
        case delimited(CSVReader)
        case json(JSONRecordScanner)
        case taken
    }

    init(command: CopyCommand, columns: [LoadColumn], queryID: Int, jsonMapping: JSONColumnMapping? = nil) {
        self.command = command
        self.converter = RecordConverter(columns: columns, options: command.options)
        self.queryID = queryID
        self.jsonMapping = jsonMapping
        self.parser = Self.makeParser(for: command.options)
    }

    private static func makeParser(for options: CopyOptions) -> FileParser {
        options.json == nil ? .delimited(CSVReader(format: options.csvFormat)) : .json(JSONRecordScanner(ignoreHeader: options.ignoreHeader))
    }

    /// MAXERROR: "If the load returns the error_count number of errors or greater, the load fails"
    /// (copy-parameters-data-load); 0 and 1 both fail at the first error.
    var reachedMaxErrors: Bool { errors.count >= max(command.options.maxErrors, 1) }

    /// Takes a file's piece (converted by a ``CopyFileConversion``) into the COPY's totals: its
    /// rejected rows one by one up to MAXERROR (the load fails there, later ones do not count).
    mutating func absorb(_ piece: ConvertedRows) {
        for error in piece.errors {
            if reachedMaxErrors { return }
            errors.append(error)
        }
        loadedRows += piece.loadedRows
    }

    mutating func startFile(_ name: String) {
        fileName = name
        recordsInFile = 0
        parser = Self.makeParser(for: command.options)
    }

    /// Parses decompressed bytes; good records are appended to `output` as COPY text lines.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, output: inout [UInt8]) throws {
        switch parser {
        case .delimited(var reader):
            parser = .taken
            reader.feed(bytes)
            parser = .delimited(reader)
            try drain(output: &output)
        case .json(var scanner):
            parser = .taken
            scanner.feed(bytes)
            parser = .json(scanner)
            try drainJSON(output: &output)
        case .taken:
            preconditionFailure("a COPY file parser is already in use")
        }
    }

    mutating func finishFile(output: inout [UInt8]) throws {
        switch parser {
        case .delimited(var reader):
            parser = .taken
            reader.finish()
            parser = .delimited(reader)
            try drain(output: &output)
        case .json(var scanner):
            parser = .taken
            scanner.finish()
            parser = .json(scanner)
            try drainJSON(output: &output)
        case .taken:
            preconditionFailure("a COPY file parser is already in use")
        }
    }

    /// Takes every complete JSON record: parse, map to the columns, check. A record that is not
    /// valid JSON, or text between records, is load error 1216 ("Input line is not valid",
    /// r_Load_Error_Reference) counted against MAXERROR; LINE_NUMBER is the record's last line.
    private mutating func drainJSON(output: inout [UInt8]) throws {
        guard case .json(var scanner) = parser else { return }
        parser = .taken
        defer { parser = .json(scanner) }
        while !reachedMaxErrors, let item = scanner.next() {
            switch item {
            case .record(let bytes, let line):
                do {
                    let node = try JSONParser.parse(bytes)
                    let mapping = jsonMapping ?? .auto(ignoreCase: false)
                    if case .auto = mapping, case .array = node {
                        reject(LoadError(code: 1216, reason: "Invalid JSON: a JSON array needs a JSONPaths file to map its values to columns"), line: line, raw: bytes)
                        continue
                    }
                    if var error = converter.append(json: mapping.values(of: node, columns: converter.columns), to: &output) {
                        error.fileName = fileName
                        error.lineNumber = line
                        error.rawLine = Array(bytes.prefix(1024))
                        errors.append(error)
                    } else {
                        loadedRows += 1
                    }
                } catch let syntax as JSONSyntaxError {
                    reject(LoadError(code: 1216, reason: "Invalid JSON: \(syntax.message) at byte \(syntax.offset)"), line: line, raw: bytes)
                }
            case .invalid(let bytes, let line, let reason):
                reject(LoadError(code: 1216, reason: reason), line: line, raw: bytes)
            case .tooLarge(let line):
                reject(LoadError(code: 1216, reason: "Invalid JSON: an object or array is larger than 4 MB"), line: line, raw: [])
                throw CopyLoad.Stop()
            }
        }
    }

    private mutating func reject(_ error: LoadError, line: Int, raw: [UInt8]) {
        var error = error
        error.fileName = fileName
        error.lineNumber = line
        error.rawLine = Array(raw.prefix(1024))
        errors.append(error)
    }

    /// Takes every complete record. A malformed record (a stray quote, say) is a load error
    /// counted against MAXERROR; one the reader cannot get past (too large) ends the COPY.
    private mutating func drain(output: inout [UInt8]) throws {
        guard case .delimited(var reader) = parser else { return }
        parser = .taken
        defer { parser = .delimited(reader) }
        while !reachedMaxErrors {
            let record: CSVRecord?
            do {
                record = try reader.nextRecord()
            } catch {
                recordsInFile += 1
                var failure = LoadError(code: 1214, reason: error.message)
                failure.fileName = fileName
                failure.lineNumber = error.lineNumber ?? reader.currentLineNumber
                failure.rawLine = Array((error.rawRecord ?? []).prefix(1024))
                errors.append(failure)
                if error.code == .recordTooLarge || error.code == .unterminatedQuote { throw CopyLoad.Stop() }
                continue
            }
            guard let record else { return }
            take(record, output: &output)
        }
    }

    private mutating func take(_ record: CSVRecord, output: inout [UInt8]) {
        recordsInFile += 1
        guard recordsInFile > command.options.ignoreHeader else { return }
        if var error = converter.append(record, to: &output) {
            error.fileName = fileName
            error.lineNumber = record.lineNumber
            error.rawLine = Array(record.rawBytes.prefix(1024))
            errors.append(error)
        } else {
            loadedRows += 1
        }
    }

    /// What the failed COPY's DETAIL says (Redshift prints the first error's fields).
    var firstErrorDetail: String? {
        guard let error = errors.first else { return nil }
        return """
            -----------------------------------------------
              error:  \(error.reason)
              code:      \(error.code)
              query:     \(queryID)
              location:  \(error.fileName) line \(error.lineNumber)
              column:    \(error.column)
              raw_field_value: \(LoadText.sanitized(error.rawField))
            -----------------------------------------------
            """
    }

    /// Records this COPY as the session's last (`pg_last_copy_id()`, `pg_last_copy_count()`).
    /// Run in the client's transaction for a COPY that loaded (a ROLLBACK takes it back: "If the
    /// COPY transaction is rolled back, the COPY ID is not updated", PG_LAST_COPY_ID), and through
    /// the side connection for one that failed on its data (which does update it).
    func copyIDSQL(backendPID: Int32, loaded: Bool) -> String {
        """
        INSERT INTO rrr_emulator.session_copies (backend_pid, copy_id, copy_count) VALUES (\(backendPID), \(queryID), \(loaded ? loadedRows : 0));
        DELETE FROM rrr_emulator.session_copies WHERE backend_pid = \(backendPID) AND copy_id < \(queryID);
        """
    }

    /// Writes the rejected rows (through the side connection, so they survive the client's ROLLBACK).
    func errorsSQL(backendPID: Int32) -> String? {
        guard !errors.isEmpty else { return nil }
        let table = SQLText.literal(command.table.sql)
        let rows = errors.map { error in
            "(to_regclass(\(table))::oid::integer, \(backendPID), \(queryID), \(SQLText.literal(error.fileName)), \(error.lineNumber), "
                + "\(SQLText.literal(error.column)), \(SQLText.literal(error.type)), \(SQLText.literal(error.columnLength)), \(error.position), "
                + "\(SQLText.literal(LoadText.sanitized(error.rawLine))), \(SQLText.literal(LoadText.sanitized(error.rawField))), "
                + "\(error.code), \(SQLText.literal(String(error.reason.prefix(100)))), \(SQLText.literal(command.table.relation)))"
        }
        return """
            INSERT INTO rrr_emulator.stl_load_errors (tbl, session, query, filename, line_number, colname, type, col_length,
                position, raw_line, raw_field_value, err_code, err_reason, table_name)
            VALUES \(rows.joined(separator: ",\n"));
            """
    }
}

/// Bytes from a load file made safe for a text column: invalid UTF-8 and NUL become `?`.
enum LoadText {
    static func sanitized(_ bytes: [UInt8]) -> String {
        String(decoding: UTF8Validation.replacingInvalidBytes(bytes, with: UInt8(ascii: "?")).map { $0 == 0 ? UInt8(ascii: "?") : $0 },
               as: UTF8.self)
    }
}
