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
/// compressor into its file of the current round: `<directory>/<baseName>.<n>.csv[.gz|.zst]` with
/// `n = round * sliceCount + slice`, or an output of ``Configuration/outputs`` (e.g. an S3
/// multipart upload). The source runs in the calling task and is held back when the queues are
/// full, so memory is bounded whatever the table size. Rounds and small exports: see ``ExportSink``.
/// If the source throws, a slice fails, or the task is cancelled, every unfinished output is
/// aborted, every local file is removed, and the error is rethrown (files already completed in
/// another ``SliceOutput`` are the caller's to remove).
public enum SlicedExport {
    /// Runs `produce` with a sink for its rows and returns the files written.
    /// - Parameters:
    ///   - configuration: where and how to write.
    ///   - logger: receives a debug line at the start and an info line with the totals.
    ///   - produce: feeds complete CSV records to the sink; the export ends when it returns.
    /// - Throws: ``ExportError``, or whatever `produce` throws; no local file remains then.
    public static func write(
        _ configuration: Configuration, logger: Logger,
        produce: (ExportSink) async throws -> Void
    ) async throws -> ExportResult {
        try configuration.validate()
        var logger = logger
        logger[metadataKey: "rrr_export"] = "\(configuration.baseName)"
        logger.debug("export started", metadata: [
            "rrr_slices": "\(configuration.sliceCount)", "rrr_compression": "\(configuration.compression)",
            "rrr_max_file_size": "\(configuration.maxFileSize.map(String.init) ?? "none")",
        ])
        let queues = (0..<configuration.sliceCount).map { _ in BoundedChannel<SliceItem>(capacity: configuration.queueDepth) }
        let meter = ExportMeter(sliceCount: configuration.sliceCount)
        let sink = ExportSink(
            queues: queues, batchSize: configuration.effectiveBatchSize, format: configuration.format,
            maxFileSize: configuration.maxFileSize, meter: meter)
        do {
            let result = try await withThrowingTaskGroup(of: [ExportFile].self) { group in
                for (index, queue) in queues.enumerated() {
                    group.addTask {
                        try await runSlice(index, queue: queue, configuration: configuration, meter: meter, allQueues: queues)
                    }
                }
                do {
                    try await produce(sink)
                    try await sink.flush()
                } catch {
                    // Wake the slice tasks so the group can end; they abort their outputs.
                    for queue in queues { queue.fail(error) }
                    throw error
                }
                for queue in queues { queue.finish() }
                var files: [ExportFile] = []
                for try await slice in group { files += slice }
                return ExportResult(files: files.sorted { ($0.round, $0.sliceIndex) < ($1.round, $1.sliceIndex) })
            }
            logger.info("export written", metadata: [
                "rrr_files": "\(result.files.count)", "rrr_rows": "\(result.rowCount)",
                "rrr_raw_bytes": "\(result.rawByteCount)", "rrr_compressed_bytes": "\(result.compressedByteCount)",
            ])
            return result
        } catch {
            // All slice tasks have ended here, so no file is still being written.
            if configuration.outputs == nil {
                for index in 0..<((sink.round + 1) * configuration.sliceCount) { FileOutput.remove(configuration.path(ofFile: index)) }
            }
            let level: Logger.Level = error is CancellationError ? .notice : .error
            logger.log(level: level, "export failed, its files removed", metadata: ["rrr_error": "\(error)"])
            throw error
        }
    }

    private static func runSlice(
        _ index: Int, queue: BoundedChannel<SliceItem>, configuration: Configuration, meter: ExportMeter,
        allQueues: [BoundedChannel<SliceItem>]
    ) async throws -> [ExportFile] {
        func writer(round: Int) -> SliceFileWriter {
            let number = round * configuration.sliceCount + index
            let path = configuration.path(ofFile: number)
            let fileName = ExportFile.name(baseName: configuration.baseName, index: number, compression: configuration.compression)
            return SliceFileWriter(
                sliceIndex: index, round: round, fileName: fileName, path: path,
                compression: configuration.compression, level: configuration.compressionLevel, meter: meter
            ) {
                if let outputs = configuration.outputs { return try await outputs.open(fileName: fileName) }
                return try LocalSliceOutput(path: path)
            }
        }
        var files: [ExportFile] = []
        var current = writer(round: 0)
        do {
            for try await item in queue {
                switch item {
                case .batch(let batch):
                    try await current.write(batch)
                case .nextRound:
                    if let file = try await current.finish() { files.append(file) }
                    current = writer(round: current.round + 1)
                }
            }
            if let file = try await current.finish() { files.append(file) }
            return files
        } catch {
            await current.abort()
            // Stop the source and the other slices at their next step.
            for other in allQueues { other.fail(error) }
            throw error
        }
    }
}
