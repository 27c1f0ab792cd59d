// Stand-in for RedshiftCSV's reader (branch `export`, not merged yet); deleted when it is merged.
struct CSVReader {
    struct Record { var strings: [String?] }
    static func records(in bytes: [UInt8]) throws -> [Record] {
        var records: [Record] = [], fields: [String?] = [], field: [UInt8] = []
        var quoted = false, inQuotes = false, index = 0
        func endField() {
            fields.append(!quoted && field == [92, 78] ? nil : String(decoding: field, as: UTF8.self))
            field = []; quoted = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == 34 {
                    if index + 1 < bytes.count && bytes[index + 1] == 34 { field.append(34); index += 1 } else { inQuotes = false }
                } else { field.append(byte) }
            } else if byte == 34 { inQuotes = true; quoted = true
            } else if byte == 44 { endField()
            } else if byte == 10 { endField(); records.append(Record(strings: fields)); fields = []
            } else { field.append(byte) }
            index += 1
        }
        return records
    }
}
