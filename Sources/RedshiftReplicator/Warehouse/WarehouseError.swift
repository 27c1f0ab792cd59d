/// A failure in Redshift: connecting, reading the target table, or loading.
public struct WarehouseError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable { case connectionFailed, targetTableMissing, statementFailed, loadFailed, timedOut }
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
        /// A statement did not answer in time.
        public static let timedOut = Code(.timedOut)
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

    public var description: String { "Redshift error (\(code)): \(message)" }
}

/// One row of `stl_load_errors`.
public struct LoadErrorDetail: Sendable, Hashable, CustomStringConvertible {
    /// The S3 object that held the row.
    public var file: String
    /// Line number in that file.
    public var line: Int
    /// The column, if known.
    public var column: String
    /// The column's type.
    public var type: String
    /// The rejected value (as Redshift read it).
    public var value: String
    /// Redshift's error code.
    public var code: Int
    /// Redshift's reason.
    public var reason: String

    public var description: String {
        "\(file) line \(line), column \(column) (\(type)): value '\(value)': \(reason) [code \(code)]"
    }
}
