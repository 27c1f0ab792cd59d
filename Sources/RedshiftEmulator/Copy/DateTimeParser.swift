import Foundation

/// Parses the date and time texts COPY accepts (default formats and `'auto'`) into ISO text that
/// PostgreSQL reads unambiguously.
enum DateTimeParser {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `YYYY-MM-DD` by default; with `auto` also `YYYY/MM/DD`, `YYYYMMDD`, `MM/DD/YYYY`,
    /// `Mon DD YYYY`, `DD Mon YYYY`, and any of them followed by a time (which is dropped).
    static func date(_ text: String, auto: Bool) -> String? {
        guard let (date, rest) = datePart(Array(text.utf8), auto: auto) else { return nil }
        if !rest.isEmpty {
            guard auto || rest.first == UInt8(ascii: " ") || rest.first == UInt8(ascii: "T"),
                  timePart(Array(rest.dropFirst())) != nil else { return nil }
        }
        return date
    }

    /// A timestamp by COPY's TIMEFORMAT: `epochsecs`/`epochmillisecs`; `auto` (date, optional time
    /// after `T` or a space, optional zone `Z`, `±HH`, `±HH:MM`, `±HHMM`; TIMESTAMP drops an offset as
    /// PostgreSQL does, TIMESTAMPTZ keeps it and reads none as UTC); nil, the default, exactly
    /// `YYYY-MM-DD HH:MI:SS[.ffffff]`, for TIMESTAMPTZ with an optional offset
    /// (r_DATEFORMAT_and_TIMEFORMAT_strings).
    static func timestamp(_ text: String, format: String?, withTimeZone: Bool) -> String? {
        switch format {
        case "epochsecs", "epochmillisecs":
            guard let number = Double(text) else { return nil }
            let seconds = format == "epochsecs" ? number : number / 1000
            return fromEpoch(seconds) + (withTimeZone ? "+00" : "")
        case "auto":
            return automaticTimestamp(Array(text.utf8), withTimeZone: withTimeZone)
        default:
            return defaultTimestamp(Array(text.utf8), withTimeZone: withTimeZone)
        }
    }

    /// `YYYY-MM-DD HH:MI:SS[.ffffff]`, then for TIMESTAMPTZ an optional offset (`+00`, `-8:00`).
    private static func defaultTimestamp(_ bytes: [UInt8], withTimeZone: Bool) -> String? {
        guard bytes.count >= 19, bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
              let date = validDate(year, month, day),
              let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19]),
              hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var index = 19
        var fraction = ""
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            var end = index + 1
            while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
            guard end > index + 1, end - index - 1 <= 6 else { return nil }
            fraction = String(decoding: bytes[index..<end], as: UTF8.self)
            index = end
        }
        let time = "\(date) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))\(fraction)"
        guard index < bytes.count else { return time + (withTimeZone ? "+00" : "") }
        guard withTimeZone, let zone = offset(bytes[index...]) else { return nil }
        return time + zone
    }

    /// `±H`, `±HH`, `±H:MM`, `±HH:MM` or `±HHMM`, normalized to `±HH[:MM]`.
    private static func offset(_ bytes: ArraySlice<UInt8>) -> String? {
        guard let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let parts = bytes.dropFirst().split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var hours: ArraySlice<UInt8>, minutes: ArraySlice<UInt8> = []
        switch parts.count {
        case 1 where parts[0].count == 4: hours = parts[0].prefix(2); minutes = parts[0].suffix(2)
        case 1: hours = parts[0]
        case 2: hours = parts[0]; minutes = parts[1]
        default: return nil
        }
        guard (1...2).contains(hours.count), let h = number(hours), h <= 15, minutes.isEmpty || minutes.count == 2,
              minutes.isEmpty || (number(minutes).map { $0 <= 59 } ?? false) else { return nil }
        return String(decoding: [sign], as: UTF8.self) + pad(h, 2) + (minutes.isEmpty ? "" : ":" + String(decoding: minutes, as: UTF8.self))
    }

    private static func automaticTimestamp(_ bytes: [UInt8], withTimeZone: Bool) -> String? {
        guard let (date, rest) = datePart(bytes, auto: true) else { return nil }
        var time = "00:00:00"
        var zone = "+00"
        if !rest.isEmpty {
            guard rest.first == UInt8(ascii: " ") || rest.first == UInt8(ascii: "T"),
                  let (parsedTime, parsedZone) = timePart(Array(rest.dropFirst())) else { return nil }
            time = parsedTime
            if let parsedZone { zone = parsedZone }
        }
        return "\(date) \(time)" + (withTimeZone ? zone : "")
    }

    static func time(_ text: String, withTimeZone: Bool) -> String? {
        guard let (time, zone) = timePart(Array(text.utf8)) else { return nil }
        return time + (withTimeZone ? (zone ?? "+00") : "")
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(String(decoding: bytes, as: UTF8.self))
    }

    private static func validDate(_ year: Int, _ month: Int, _ day: Int) -> String? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day <= days else { return nil }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// The date at the start of `bytes` and what follows it.
    private static func datePart(_ bytes: [UInt8], auto: Bool) -> (String, ArraySlice<UInt8>)? {
        // YYYY-MM-DD (and with auto: / or . separators)
        if bytes.count >= 10, let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
           bytes[4] == bytes[7], bytes[4] == UInt8(ascii: "-") || (auto && (bytes[4] == UInt8(ascii: "/") || bytes[4] == UInt8(ascii: ".")))
        {
            return validDate(year, month, day).map { ($0, bytes[10...]) }
        }
        guard auto else { return nil }
        // YYYYMMDD
        if bytes.count >= 8, let year = number(bytes[0..<4]), let month = number(bytes[4..<6]), let day = number(bytes[6..<8]),
           bytes.count == 8 || bytes[8] == UInt8(ascii: " ") || bytes[8] == UInt8(ascii: "T")
        {
            return validDate(year, month, day).map { ($0, bytes[8...]) }
        }
        // MM/DD/YYYY or MM-DD-YYYY
        if bytes.count >= 10, let month = number(bytes[0..<2]), let day = number(bytes[3..<5]), let year = number(bytes[6..<10]),
           bytes[2] == bytes[5], bytes[2] == UInt8(ascii: "/") || bytes[2] == UInt8(ascii: "-")
        {
            return validDate(year, month, day).map { ($0, bytes[10...]) }
        }
        // Mon DD YYYY, Mon DD, YYYY, DD Mon YYYY
        let text = String(decoding: bytes, as: UTF8.self)
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" }).prefix(3).map(String.init)
        if words.count == 3 {
            let consumed = text.utf8.count - (text.range(of: words[2]).map { text[$0.upperBound...].utf8.count } ?? 0)
            if let month = months.firstIndex(of: String(words[0].lowercased().prefix(3))), let day = Int(words[1]), let year = Int(words[2]) {
                return validDate(year, month + 1, day).map { ($0, bytes[consumed...]) }
            }
            if let day = Int(words[0]), let month = months.firstIndex(of: String(words[1].lowercased().prefix(3))), let year = Int(words[2]) {
                return validDate(year, month + 1, day).map { ($0, bytes[consumed...]) }
            }
        }
        return nil
    }

    /// `HH:MM[:SS[.ffffff]]` then an optional zone; returns normalized time and zone.
    private static func timePart(_ bytes: [UInt8]) -> (String, String?)? {
        guard bytes.count >= 5, let hour = number(bytes[0..<2]), bytes[2] == UInt8(ascii: ":"), let minute = number(bytes[3..<5]),
              hour <= 24, minute <= 59 else { return nil }
        var index = 5
        var second = 0
        var fraction = ""
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            guard index + 3 <= bytes.count, let parsed = number(bytes[(index + 1)..<(index + 3)]), parsed <= 60 else { return nil }
            second = parsed
            index += 3
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                let start = index + 1
                var end = start
                while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
                guard end > start, end - start <= 6 else { return nil }
                fraction = "." + String(decoding: bytes[start..<end], as: UTF8.self)
                index = end
            }
        }
        let time = pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2) + fraction
        let rest = bytes[index...].drop(while: { $0 == UInt8(ascii: " ") })
        guard let sign = rest.first else { return (time, nil) }
        if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") { return rest.count == 1 ? (time, "+00") : nil }
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let digits = rest.dropFirst().filter { $0 != UInt8(ascii: ":") }
        guard (digits.count == 2 || digits.count == 4), number(digits[...]) != nil,
              rest.dropFirst().count <= 5 else { return nil }
        let zone = String(decoding: [sign], as: UTF8.self) + String(decoding: digits.prefix(2), as: UTF8.self)
            + (digits.count == 4 ? ":" + String(decoding: digits.suffix(2), as: UTF8.self) : "")
        return (time, zone)
    }

    /// Civil date and time for seconds since 1970-01-01 UTC (Howard Hinnant's days-to-civil).
    private static func fromEpoch(_ seconds: Double) -> String {
        let whole = Int((seconds).rounded(.down))
        let micros = Int(((seconds - Double(whole)) * 1_000_000).rounded())
        var days = whole / 86_400
        var secondOfDay = whole % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + " " + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay % 3600 / 60, 2) + ":" + pad(secondOfDay % 60, 2) + (micros > 0 ? "." + pad(micros, 6) : "")
    }
}
