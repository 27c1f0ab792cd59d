extension CSVRecordBatch {
    /// Cuts the batch into `parts` batches of about equal bytes, at record boundaries (quoted LFs
    /// respected); parts may be empty when there are fewer records than parts.
    public func split(into parts: Int, format: CSVFormat = .default) -> [CSVRecordBatch] {
        guard parts > 1, recordCount > 1 else {
            return [self] + Array(repeating: CSVRecordBatch(), count: max(0, parts - 1))
        }
        var scanner = CSVRecordScanner(format: format)
        var pieces: [CSVRecordBatch] = []
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0, position = 0, records = 0
            while let end = scanner.nextRecordEnd(in: buffer, from: position) {
                position = end
                records += 1
                // Close a piece once it reaches its share of the bytes (the last takes the rest).
                let share = buffer.count * (pieces.count + 1) / parts
                if pieces.count < parts - 1, end >= share {
                    pieces.append(CSVRecordBatch(bytes: Array(buffer[start..<end]), recordCount: records))
                    start = end
                    records = 0
                }
            }
            pieces.append(CSVRecordBatch(bytes: Array(buffer[start...]), recordCount: records))
        }
        while pieces.count < parts { pieces.append(CSVRecordBatch()) }
        return pieces
    }
}
