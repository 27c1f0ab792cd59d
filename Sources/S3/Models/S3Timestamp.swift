import Foundation

/// Parses the two timestamp forms S3 uses, without DateFormatter (slow, locale-sensitive):
/// ISO 8601 in XML (`2009-10-12T17:50:30.000Z`) and RFC 1123 in headers (`Mon, 12 Oct 2009 17:50:30 GMT`).
enum S3Timestamp {
    /// `2009-10-12T17:50:30.000Z` (fraction optional, UTC only).
    static func parseISO8601(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { "-T:Z".contains($0) })
        guard parts.count >= 6, text.hasSuffix("Z"),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let hour = Int(parts[3]), let minute = Int(parts[4]), let second = Double(parts[5])
        else { return nil }
        return date(year: year, month: month, day: day, seconds: Double(hour * 3_600 + minute * 60) + second)
    }

    /// `Mon, 12 Oct 2009 17:50:30 GMT`.
    static func parseRFC1123(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, parts[5] == "GMT",
              let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])),
              let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        return date(year: year, month: monthIndex + 1, day: day, seconds: Double(time[0] * 3_600 + time[1] * 60 + time[2]))
    }

    private static func date(year: Int, month: Int, day: Int, seconds: Double) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        // Days from civil (H. Hinnant).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: Double(days) * 86_400 + seconds)
    }
}
