// Stand-in for RedshiftCSV's writer (branch `export`) until it is merged; same API subset, removed then.
public struct CSVRecordBatch: Sendable, Hashable {
    public var bytes: [UInt8]
    public var recordCount: Int
    public init(bytes: [UInt8] = [], recordCount: Int = 0) {
        self.bytes = bytes
        self.recordCount = recordCount
    }
}

public struct CSVWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var recordCount = 0
    private var fields = 0
    public init(capacity: Int = 1 << 20) { bytes.reserveCapacity(capacity) }
    public mutating func appendNull() { start(); bytes.append(contentsOf: #"\N"#.utf8) }
    public mutating func append(_ value: Int) { start(); bytes.append(contentsOf: String(value).utf8) }
    public mutating func append(bytes field: some Collection<UInt8>) {
        start()
        let special = field.isEmpty || field.elementsEqual(#"\N"#.utf8) || field.first == 32 || Array(field).last == 32
            || field.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
        guard special else { return bytes.append(contentsOf: field) }
        bytes.append(34)
        for byte in field {
            bytes.append(byte)
            if byte == 34 { bytes.append(34) }
        }
        bytes.append(34)
    }
    public mutating func endRecord() { bytes.append(10); recordCount += 1; fields = 0 }
    public mutating func takeBatch() -> CSVRecordBatch {
        defer { bytes = []; recordCount = 0 }
        return CSVRecordBatch(bytes: bytes, recordCount: recordCount)
    }
    private mutating func start() { if fields > 0 { bytes.append(44) }; fields += 1 }
}
