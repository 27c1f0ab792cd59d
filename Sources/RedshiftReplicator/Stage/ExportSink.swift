import RedshiftCSV

/// Receives an export's record batches and writes them as slice files.
protocol ExportFileSink: Sendable {
    /// Adds complete records.
    func write(_ batch: CSVRecordBatch) async throws
    /// Flushes and closes every slice; returns the files written.
    func finish() async throws -> [ExportedFile]
}

/// Makes the sink for one export.
protocol ExportSinkFactory: Sendable {
    func makeSink(folder: String, baseName: String, slices: Int, format: ExportFormat, csv: CSVFormat) throws -> any ExportFileSink
}
