/// Where one export file's compressed bytes go: a local file (``SlicedExport/Configuration/directory``)
/// or, through ``SliceOutputFactory``, somewhere else such as an S3 multipart upload.
public protocol SliceOutput: AnyObject {
    /// Appends compressed bytes; may wait (backpressure) while earlier bytes are sent.
    func write(_ bytes: [UInt8]) async throws
    /// Completes the file once every byte is written.
    func finish() async throws
    /// Abandons the file: nothing of it may remain (a partial upload is aborted). Never fails.
    func abort() async
}

/// Opens the output of each export file; used instead of local files when configured.
public protocol SliceOutputFactory: Sendable {
    /// Opens the output for the file named `fileName` (e.g. `users.5.csv.gz`).
    func open(fileName: String) async throws -> any SliceOutput
}

/// A local file as a ``SliceOutput``.
final class LocalSliceOutput: SliceOutput {
    private let file: FileOutput

    init(path: String) throws(ExportError) { file = try FileOutput(path: path) }

    func write(_ bytes: [UInt8]) async throws { try file.append(bytes) }
    func finish() async throws { try file.closeFile() }
    func abort() async {
        try? file.closeFile()
        FileOutput.remove(file.path)
    }
}
