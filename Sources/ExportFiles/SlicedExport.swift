import AsyncSupport
import Compression
public import Logging
import RedshiftCSV

/// Writes a table's rows as N compressed CSV slice files, compressing the slices in parallel.
///
/// ```swift
/// let result = try await SlicedExport.write(configuration, logger: logger) { sink in
///     var writer = CSVWriter()
///     for row in rows {
///         writer.append(row.id); writer.append(row.name); writer.endRecord()
///         if writer.bytes.count >= sink.batchSize { try await sink.write(writer.takeBatch()) }
///     }
///     try await sink.write(writer.takeBatch())
/// }
/// ```
///
/// One task per slice receives batches through a bounded queue and streams them through its own
/// compressor into `<directory>/<baseName>.<slice>.csv[.gz|.zst]`; the source runs in the calling
/// task and is held back when the queues are full, so memory is bounded whatever the table size.
/// If the source throws, a slice fails, or the task is cancelled, every slice file is removed and
/// the error is rethrown.
public enum SlicedExport {
    /// Runs `produce` with a sink for its rows and returns the files written.
    /// - Parameters:
    ///   - configuration: where and how to write.
    ///   - logger: receives a debug line at the start and an info line with the totals.
    ///   - produce: feeds complete CSV records to the sink; the export ends when it returns.
    /// - Throws: ``ExportError``, or whatever `produce` throws; no slice file remains then.
    public static func write(
        _ configuration: Configuration, logger: Logger,
        produce: (ExportSink) async throws -> Void
    ) async throws -> ExportResult {
        try configuration.validate()
        var logger = logger
        logger[metadataKey: "rrr_export"] = "\(configuration.baseName)"
        logger.debug("export started", metadata: [
            "rrr_slices": "\(configuration.sliceCount)", "rrr_compression": "\(configuration.compression)",
        ])
        let queues = (0..<configuration.sliceCount).map { _ in BoundedChannel<CSVRecordBatch>(capacity: configuration.queueDepth) }
        do {
            let result = try await withThrowingTaskGroup(of: ExportFile?.self) { group in
                for (index, queue) in queues.enumerated() {
                    group.addTask {
                        try await runSlice(index, queue: queue, configuration: configuration, allQueues: queues)
                    }
                }
                let sink = ExportSink(queues: queues, batchSize: configuration.batchSize, format: configuration.format)
                do {
                    try await produce(sink)
                    try await sink.flush()
                } catch {
                    // Wake the slice tasks so the group can end; they drop their batches.
                    for queue in queues { queue.fail(error) }
                    throw error
                }
                for queue in queues { queue.finish() }
                var files: [ExportFile] = []
                for try await file in group { if let file { files.append(file) } }
                return ExportResult(files: files.sorted { $0.sliceIndex < $1.sliceIndex })
            }
            logger.info("export written", metadata: [
                "rrr_files": "\(result.files.count)", "rrr_rows": "\(result.rowCount)",
                "rrr_raw_bytes": "\(result.rawByteCount)", "rrr_compressed_bytes": "\(result.compressedByteCount)",
            ])
            return result
        } catch {
            // All slice tasks have ended here, so no file is still being written.
            for index in 0..<configuration.sliceCount { FileOutput.remove(configuration.path(ofSlice: index)) }
            let level: Logger.Level = error is CancellationError ? .notice : .error
            logger.log(level: level, "export failed, slice files removed", metadata: ["rrr_error": "\(error)"])
            throw error
        }
    }

    private static func runSlice(
        _ index: Int, queue: BoundedChannel<CSVRecordBatch>, configuration: Configuration, allQueues: [BoundedChannel<CSVRecordBatch>]
    ) async throws -> ExportFile? {
        let writer = SliceFileWriter(
            sliceIndex: index, path: configuration.path(ofSlice: index),
            compression: configuration.compression, level: configuration.compressionLevel)
        do {
            for try await batch in queue { try writer.write(batch) }
            return try writer.finish()
        } catch {
            // Stop the source and the other slices at their next step.
            for other in allQueues { other.fail(error) }
            throw error
        }
    }
}
