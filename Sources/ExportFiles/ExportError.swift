
/// Why an export failed. Its files are removed before it is thrown.
public struct ExportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch with a `default`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidConfiguration, fileSystem, compression, csv, manifest
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A ``SlicedExport/Configuration`` value is unusable (named in the message).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// Creating, writing or closing a file failed (the path and the system's reason are given).
        public static let fileSystem = Code(.fileSystem)
        /// The compressor failed (``ExportError/underlying`` is the ``CompressionError``).
        public static let compression = Code(.compression)
        /// The source's CSV could not be cut into records (``ExportError/underlying`` is the ``CSVError``).
        public static let csv = Code(.csv)
        /// A manifest could not be encoded or decoded.
        public static let manifest = Code(.manifest)

        /// A one-line, human-readable form.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// Detail naming the setting, file or slice concerned.
    public let message: String
    /// The error that caused this one, if any.
    public let underlying: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// A one-line, human-readable form.
    public var description: String {
        if let underlying { return "export \(code): \(message): \(underlying)" }
        return "export \(code): \(message)"
    }
}
