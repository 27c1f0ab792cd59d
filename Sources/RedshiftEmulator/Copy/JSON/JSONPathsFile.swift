import Logging
import NIOCore

extension CopyCommand {
    /// The JSON column mapping of a `COPY ... JSON`: 'auto', or the JSONPaths file read from S3
    /// ("must be an Amazon S3 object key that explicitly references a single file"). nil for
    /// delimited files.
    func jsonMapping(columns: [LoadColumn], store: any LoadObjectStore, logger: Logger) async throws -> JSONColumnMapping? {
        switch options.json {
        case nil:
            return nil
        case .auto(let ignoreCase):
            return .auto(ignoreCase: ignoreCase)
        case .pathsFile(let location):
            var bytes: [UInt8] = []
            do {
                try await store.read(bucket: location.bucket, key: location.key, logger: logger) { chunk in
                    bytes += chunk.readableBytesView
                    if bytes.count > JSONPathsFileLimit.bytes { throw PGError(code: "XX000", message: "JSONPaths file \(location) is larger than 1 MB") }
                }
            } catch let missing as LoadObjectMissing {
                throw PGError(code: "XX000", message: "Invalid JSONPath format: cannot read the JSONPaths file \(location) - \(missing)")
            } catch let failure as LoadObjectStoreFailure {
                throw PGError(code: "XX000", message: failure.description)
            }
            return try JSONColumnMapping.fromJSONPathsFile(bytes, columnCount: columns.count, location: location.description)
        }
    }
}

/// A JSONPaths file is a short list of expressions; anything larger is a mistake.
enum JSONPathsFileLimit {
    static let bytes = 1 << 20
}
