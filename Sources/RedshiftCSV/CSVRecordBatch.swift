/// Complete CSV records as bytes, each ending with LF, and how many there are.
///
/// The unit that moves from a source to the sliced export writer: ``CSVWriter/takeBatch()`` and
/// ``CSVRecordSplitter`` produce it. A batch never ends inside a record.
public struct CSVRecordBatch: Sendable, Hashable {
    /// The records' bytes, in the dialect's CSV form.
    public var bytes: [UInt8]
    /// How many records `bytes` holds.
    public var recordCount: Int

    /// Creates a batch; `bytes` must hold exactly `recordCount` complete records.
    public init(bytes: [UInt8] = [], recordCount: Int = 0) {
        self.bytes = bytes
        self.recordCount = recordCount
    }

    /// Whether the batch holds no records.
    public var isEmpty: Bool { recordCount == 0 }
}
