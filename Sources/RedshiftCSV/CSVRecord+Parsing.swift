extension CSVRecord {
    /// Splits one complete record (terminator removed) into fields, validating quoting.
    static func parse(
        _ raw: [UInt8], lineNumber: Int, format: CSVFormat, expectedFieldCount: Int
    ) throws(CSVError) -> CSVRecord {
        var fields: [Field] = []
        fields.reserveCapacity(expectedFieldCount)
        var unescaped: [UInt8] = []
        let quote = format.quote, delimiter = format.delimiter
        let failure: CSVError? = raw.withUnsafeBufferPointer { bytes in
            let end = bytes.count
            var index = 0
            while true {
                if index < end, bytes[index] == quote {
                    // Quoted field: find the closing quote, skipping doubled ones.
                    let contentStart = index + 1
                    var cursor = contentStart
                    var hasDoubledQuotes = false
                    var closing = -1
                    while let found = CSVRecordScanner.firstIndex(of: quote, in: bytes, from: cursor) {
                        if found + 1 < end, bytes[found + 1] == quote {
                            hasDoubledQuotes = true
                            cursor = found + 2
                        } else {
                            closing = found
                            break
                        }
                    }
                    if closing < 0 {
                        return CSVError(
                            .unterminatedQuote, "a quoted field is not closed before the end of the input",
                            lineNumber: lineNumber, rawRecord: raw)
                    }
                    if hasDoubledQuotes {
                        let start = unescaped.count
                        var previous: UInt8 = 0
                        for byte in bytes[contentStart..<closing] {
                            // Keep the first quote of each "" pair only.
                            if byte == quote, previous == quote { previous = 0; continue }
                            unescaped.append(byte)
                            previous = byte
                        }
                        fields.append(Field(range: start..<unescaped.count, isQuoted: true, isUnescaped: true))
                    } else {
                        fields.append(Field(range: contentStart..<closing, isQuoted: true, isUnescaped: false))
                    }
                    index = closing + 1
                    if index == end { return nil }
                    if bytes[index] != delimiter {
                        return CSVError(
                            .dataAfterClosingQuote,
                            "field \(fields.count) has data after its closing quote (byte \(index + 1) of the record)",
                            lineNumber: lineNumber, rawRecord: raw)
                    }
                    index += 1
                } else {
                    var cursor = index
                    while cursor < end, bytes[cursor] != delimiter {
                        if bytes[cursor] == quote {
                            return CSVError(
                                .quoteInUnquotedField,
                                "field \(fields.count + 1) has a quote but does not start with one (byte \(cursor + 1) of the record)",
                                lineNumber: lineNumber, rawRecord: raw)
                        }
                        cursor += 1
                    }
                    fields.append(Field(range: index..<cursor, isQuoted: false, isUnescaped: false))
                    if cursor == end { return nil }
                    index = cursor + 1
                }
            }
        }
        if let failure { throw failure }
        return CSVRecord(
            lineNumber: lineNumber, rawBytes: raw, fields: fields, unescaped: unescaped,
            nullMarker: format.nullMarker)
    }
}
