import Foundation

/// A COPY manifest: the exact files one load reads, so stray objects under the same S3 prefix are
/// never loaded. Encodes as
/// `{"entries":[{"url":"s3://bucket/key","mandatory":true,"meta":{"content_length":N}}]}`.
/// `meta.content_length` is only required for ORC/Parquet and Spectrum, but allowed for CSV;
/// we always write it so the size is checked against the object.
public struct ExportManifest: Codable, Sendable, Hashable {
    /// One file to load.
    public struct Entry: Codable, Sendable, Hashable {
        /// Size information for an entry.
        public struct Meta: Codable, Sendable, Hashable {
            /// The object's size in bytes.
            public var contentLength: Int

            /// Creates the size information.
            public init(contentLength: Int) { self.contentLength = contentLength }

            enum CodingKeys: String, CodingKey { case contentLength = "content_length" }
        }

        /// `s3://bucket/key` of the object.
        public var url: String
        /// Whether COPY fails when the object is missing; default true.
        public var mandatory: Bool
        /// The object's size, if given.
        public var meta: Meta?

        /// Creates an entry; `mandatory` defaults to true.
        public init(url: String, mandatory: Bool = true, contentLength: Int? = nil) {
            self.url = url
            self.mandatory = mandatory
            self.meta = contentLength.map(Meta.init(contentLength:))
        }
    }

    /// The files, in load order.
    public var entries: [Entry]

    /// Creates a manifest from entries.
    public init(entries: [Entry]) { self.entries = entries }

    /// A manifest for export files uploaded as `s3://<bucket>/<keyPrefix><fileName>`, all
    /// mandatory, each with its size.
    public init(files: [ExportFile], bucket: String, keyPrefix: String) {
        entries = files.map {
            Entry(url: "s3://\(bucket)/\(keyPrefix)\($0.fileName)", contentLength: $0.compressedByteCount)
        }
    }

    /// The manifest's JSON (keys sorted, slashes unescaped), ready to upload uncompressed.
    public func jsonBytes() throws(ExportError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self))
        } catch {
            throw ExportError(.manifest, "cannot encode the manifest", underlying: error)
        }
    }

    /// Parses a manifest's JSON.
    public init(jsonBytes: [UInt8]) throws(ExportError) {
        do {
            self = try JSONDecoder().decode(ExportManifest.self, from: Data(jsonBytes))
        } catch {
            throw ExportError(.manifest, "not a valid COPY manifest", underlying: error)
        }
    }
}
