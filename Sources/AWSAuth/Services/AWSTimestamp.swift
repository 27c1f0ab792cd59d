import Foundation

/// AWS's timestamps: ISO 8601 in XML, the shared files and the credential endpoints
/// (`2024-05-01T10:00:00Z`, `2024-05-01T10:00:00.123Z`, `+00:00` offsets), epoch seconds in JSON.
enum AWSTimestamp {
    /// Parses an ISO 8601 date-time with or without fractional seconds.
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: trimmed) { return date }
        }
        return nil
    }

    /// A JSON timestamp: epoch seconds (the JSON protocol's default) or an ISO 8601 string.
    static func parse(json value: Any?) -> Date? {
        if let number = value as? NSNumber { return Date(timeIntervalSince1970: number.doubleValue) }
        if let text = value as? String { return parse(text) }
        return nil
    }
}
