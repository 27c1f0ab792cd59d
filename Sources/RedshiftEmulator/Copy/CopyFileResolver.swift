import Foundation
import Logging
import NIOCore

/// One object a COPY loads.
struct CopyFile: Sendable, Equatable {
    var bucket: String
    var key: String
    var url: String { "s3://\(bucket)/\(key)" }
}

/// Turns a COPY's `FROM` into the objects it loads: every key starting with the prefix, or
/// exactly the manifest's entries (a missing mandatory entry fails the COPY).
struct CopyFileResolver {
    let command: CopyCommand
    let store: any LoadObjectStore
    let logger: Logger

    /// The largest manifest read (manifests are small JSON documents).
    static let manifestLimit = 16 << 20

    func files() async throws -> [CopyFile] {
        do {
            return command.manifest ? try await manifestFiles() : try await prefixFiles()
        } catch let error as LoadObjectStoreFailure {
            throw PGError(code: "XX000", message: error.description)
        }
    }

    private func prefixFiles() async throws -> [CopyFile] {
        let keys = try await store.keys(bucket: command.source.bucket, prefix: command.source.key, logger: logger)
            .filter { !$0.hasSuffix("/") }
        guard !keys.isEmpty else {
            throw PGError(code: "XX000", message: "The specified S3 prefix '\(command.source.key)' does not exist",
                          detail: "no object in bucket \(command.source.bucket) starts with that prefix")
        }
        return keys.map { CopyFile(bucket: command.source.bucket, key: $0) }
    }

    private struct Manifest: Decodable {
        struct Entry: Decodable {
            var url: String
            var mandatory: Bool?
        }
        var entries: [Entry]
    }

    private func manifestFiles() async throws -> [CopyFile] {
        var bytes = ByteBuffer()
        do {
            try await store.read(bucket: command.source.bucket, key: command.source.key, logger: logger) { chunk in
                var chunk = chunk
                bytes.writeBuffer(&chunk)
                if bytes.readableBytes > Self.manifestLimit { throw PGError(code: "XX000", message: "Manifest file is too large") }
            }
        } catch let missing as LoadObjectMissing {
            throw PGError(code: "XX000", message: "Problem reading manifest file - \(missing)")
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: Data(bytes.readableBytesView))
        } catch {
            throw PGError(code: "XX000", message: "Manifest file is not in correct json format", detail: "\(command.source): \(error)")
        }
        var files: [CopyFile] = []
        for entry in manifest.entries {
            guard let location = S3Location(url: entry.url), !location.key.isEmpty else {
                throw PGError(code: "XX000", message: "Manifest entry '\(entry.url)' is not an s3:// URL of an object")
            }
            let exists = try await store.keys(bucket: location.bucket, prefix: location.key, logger: logger).contains(location.key)
            if exists {
                files.append(CopyFile(bucket: location.bucket, key: location.key))
            } else if entry.mandatory == true {
                throw PGError(code: "XX000", message: "Problem reading manifest file - S3ServiceException:The specified key does not exist.,Status 404,Error NoSuchKey",
                              detail: "mandatory manifest entry \(entry.url) is missing (manifest \(command.source))")
            } else {
                logger.info("optional manifest entry missing, skipped", metadata: ["rrr_file": "\(entry.url)"])
            }
        }
        // "Regardless of any mandatory settings, COPY will terminate if no files are found"
        // (loading-data-files-using-manifest).
        guard !files.isEmpty else {
            throw PGError(code: "XX000", message: "Problem reading manifest file - no file of the manifest was found",
                          detail: "\(manifest.entries.count) entries, none found (manifest \(command.source))")
        }
        return files
    }
}
