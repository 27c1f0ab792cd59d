/// A compression stream that could not be set up, or input that does not decompress.
public struct CompressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch with a `default`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidLevel, initializationFailed, corruptInput, truncatedInput, compressionFailed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The level is outside the format's range.
        public static let invalidLevel = Code(.invalidLevel)
        /// The library could not create its stream (out of memory, version mismatch).
        public static let initializationFailed = Code(.initializationFailed)
        /// The input is not valid compressed data for the format.
        public static let corruptInput = Code(.corruptInput)
        /// The input ended in the middle of a gzip member or zstd frame.
        public static let truncatedInput = Code(.truncatedInput)
        /// The compressor itself failed (should not happen with valid arguments).
        public static let compressionFailed = Code(.compressionFailed)

        /// A one-line, human-readable form.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// The format whose stream failed.
    public let format: CompressionFormat
    /// Detail, including the library's own message where it gives one.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, format: CompressionFormat, _ message: String) {
        self.code = code
        self.format = format
        self.message = message
    }

    /// A one-line, human-readable form.
    public var description: String { "\(format) \(code): \(message)" }
}
