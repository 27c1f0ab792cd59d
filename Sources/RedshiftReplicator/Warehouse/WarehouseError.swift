/// A failure in Redshift: connecting, reading the target table, or loading.
public struct WarehouseError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case connectionFailed, targetTableMissing, statementFailed, loadFailed, rowsRejected, timedOut, serializableIsolationViolation, unsupportedTable
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// Could not connect to Redshift.
        public static let connectionFailed = Code(.connectionFailed)
        /// The target table does not exist in the configured schema.
        public static let targetTableMissing = Code(.targetTableMissing)
        /// A statement failed.
        public static let statementFailed = Code(.statementFailed)
        /// COPY rejected rows; the message holds the `stl_load_errors` details.
        public static let loadFailed = Code(.loadFailed)
        /// COPY rejected rows of the data (found in `stl_load_errors`/`sys_load_error_detail`): the
        /// source rows must change, so the next run exports the range again rather than reloading
        /// the same files.
        public static let rowsRejected = Code(.rowsRejected)
        /// A statement did not answer in time.
        public static let timedOut = Code(.timedOut)
        /// Redshift canceled the transaction: `ERROR: 1023` serializable isolation violation (a
        /// concurrent transaction wrote the same table). rrr retries its load transaction.
        public static let serializableIsolationViolation = Code(.serializableIsolationViolation)
        /// The target table has a column rrr cannot load (an `IDENTITY` column).
        public static let unsupportedTable = Code(.unsupportedTable)
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// Human-readable detail (file, line, column, value and reason for load errors). Never a secret.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message in words (the code is for programs: ``code``).
    public var description: String { "Redshift: \(message)" }
}

/// The rejected rows of a load and where Redshift reported them.
struct LoadErrorReport: Sendable {
    /// `stl_load_errors`, or `sys_load_error_detail` (Redshift Serverless).
    var source: String
    var details: [LoadErrorDetail]
}

/// One row of `stl_load_errors` (or `sys_load_error_detail`).
public struct LoadErrorDetail: Sendable, Hashable, CustomStringConvertible {
    /// The S3 object that held the row.
    public var file: String
    /// Line number in that file.
    public var line: Int
    /// The column, if known.
    public var column: String
    /// The column's type.
    public var type: String
    /// The rejected value (as Redshift read it); empty from `sys_load_error_detail`, which has none.
    public var value: String
    /// Redshift's error code.
    public var code: Int
    /// Redshift's reason.
    public var reason: String

    public var description: String {
        "\(file) line \(line), column \(column) (\(type)): \(value.isEmpty ? "" : "value '\(value)': ")\(reason) [code \(code)]"
    }

    /// From a row of text: file, line, column, type, value, code, reason.
    init(row: [String?]) {
        func text(_ index: Int) -> String { index < row.count ? row[index] ?? "" : "" }
        self.init(file: text(0), line: Int(text(1)) ?? 0, column: text(2), type: text(3), value: text(4), code: Int(text(5)) ?? 0, reason: text(6))
    }

    init(file: String, line: Int, column: String, type: String, value: String, code: Int, reason: String) {
        self.file = file; self.line = line; self.column = column; self.type = type; self.value = value; self.code = code; self.reason = reason
    }
}
