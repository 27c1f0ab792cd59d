import AsyncSupport
import Logging

/// A piece of one file's COPY: good rows as PostgreSQL COPY text, how many, and the rows rejected
/// among them, in file order.
struct ConvertedRows: Sendable {
    var text: [UInt8]
    var loadedRows: Int
    var errors: [LoadError]
}

/// Reads one COPY file (S3 bytes -> decompressor -> record parser -> checks) into
/// ``ConvertedRows`` of about ``CopyLoad/chunkSize`` bytes each.
///
/// Each file of a COPY is converted by its own task (as Redshift loads files in parallel), with a
/// fresh ``CopyLoad`` of the statement; the session takes the pieces file after file, in the order
/// of the sequential load, so rows, counts, rejected rows and the MAXERROR cut are the same.
/// A file stops early once it alone reached MAXERROR (the whole COPY has then too).
struct CopyFileConversion: Sendable {
    let file: CopyFile
    let template: CopyLoad
    let store: any LoadObjectStore
    let logger: Logger

    func run(into channel: BoundedChannel<ConvertedRows>) async throws {
        var loader = template
        var decompressor = try FileDecompressor.make(loader.command.options.compression, fileName: file.url)
        loader.startFile(file.url)
        var output: [UInt8] = []
        output.reserveCapacity(CopyLoad.chunkSize * 2)
        var sent = (rows: 0, errors: 0)
        func send() async throws {
            guard !output.isEmpty || loader.errors.count > sent.errors else { return }
            let piece = ConvertedRows(text: output, loadedRows: loader.loadedRows - sent.rows, errors: Array(loader.errors[sent.errors...]))
            sent = (loader.loadedRows, loader.errors.count)
            output.removeAll(keepingCapacity: true)
            try await channel.send(piece)
        }
        do {
            try await store.read(bucket: file.bucket, key: file.key, logger: logger) { chunk in
                try decompressor.decompress(chunk) { bytes in try loader.feed(bytes, output: &output) }
                if output.count >= CopyLoad.chunkSize { try await send() }
                if loader.reachedMaxErrors { throw CopyLoad.Stop() }
            }
            try decompressor.finish { bytes in try loader.feed(bytes, output: &output) }
            try loader.finishFile(output: &output)
        } catch is CopyLoad.Stop {}
        try await send()
        channel.finish()
    }
}
