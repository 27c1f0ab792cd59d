import Foundation

/// The encodings SigV4 and S3 URLs use.
package enum SigV4Encoding {
    /// Percent-encodes every UTF-8 byte except the unreserved characters `A-Z a-z 0-9 - _ . ~`
    /// (RFC 3986), with uppercase hex, as SigV4 requires. With `keepSlash`, `/` is kept too: S3 object
    /// keys are encoded this way in paths, so `dir/a b+c.csv` becomes `dir/a%20b%2Bc.csv`.
    package static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                encoded.append(byte)
            } else {
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Reverses percent-encoding (`%XX`), e.g. for keys listed with `encoding-type=url`.
    /// A `+` is decoded as a space, as S3 form-encodes spaces in listings. Invalid escapes stay as they are.
    package static func percentDecode(_ text: String, plusAsSpace: Bool = true) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let input = Array(text.utf8)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%"), index + 2 < input.count,
               let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The canonical query string: names and values URI-encoded, sorted by name then value,
    /// `name=value` pairs joined by `&` (a parameter without value becomes `name=`).
    package static func canonicalQuery(_ items: [QueryItem]) -> String {
        let encoded: [(name: String, value: String)] = items.map { item in
            (uriEncode(item.name), uriEncode(item.value))
        }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
    }

    /// The query string sent on the wire: encoded like the canonical one but in the caller's order,
    /// and a parameter with an empty value (`?uploads`, `?delete`) sent bare, as the AWS SDKs do.
    package static func wireQuery(_ items: [QueryItem]) -> String {
        let pairs: [String] = items.map { item in
            item.value.isEmpty ? uriEncode(item.name) : uriEncode(item.name) + "=" + uriEncode(item.value)
        }
        return pairs.joined(separator: "&")
    }

    /// Lowercase hex of bytes, as SigV4 writes hashes and signatures.
    package static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes { text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        return String(decoding: text, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// One query parameter of a request, unencoded.
package struct QueryItem: Sendable, Hashable {
    package var name: String
    package var value: String
    package init(_ name: String, _ value: String = "") {
        self.name = name
        self.value = value
    }
}

/// SigV4 timestamps: `20130524T000000Z` and its date part `20130524`, always UTC.
package struct AmzDate: Sendable, Equatable {
    /// `yyyyMMdd'T'HHmmss'Z'`.
    package var timestamp: String
    /// `yyyyMMdd`, the credential scope's date.
    package var day: String { String(timestamp.prefix(8)) }

    package init(_ date: Date) {
        // Civil-from-days (H. Hinnant) avoids DateFormatter, which is slow and locale-sensitive.
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        timestamp = pad(year, 4) + pad(month, 2) + pad(day, 2) + "T"
            + pad(secondOfDay / 3_600, 2) + pad(secondOfDay % 3_600 / 60, 2) + pad(secondOfDay % 60, 2) + "Z"
    }
}
