import Foundation

/// Unique replication keys: `<target>_<UTC yyyyMMddTHHmmssZ>_<8 hex>`, naming the S3 folder,
/// the local folder and the ledger row.
enum ReplicationKey {
    static func make(target: String, now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let random = String(UInt32.random(in: .min ... .max), radix: 16)
        let padded = String(repeating: "0", count: 8 - random.count) + random
        return "\(target)_\(formatter.string(from: now))_\(padded)"
    }

    /// The S3 folder of a replication: `<prefix>/<target>/<key>`.
    static func folder(prefix: String, target: String, key: String) -> String {
        tableFolder(prefix: prefix, target: target) + "/" + key
    }

    /// The S3 folder holding a target table's replication folders: `<prefix>/<target>`.
    static func tableFolder(prefix: String, target: String) -> String {
        let trimmed = prefix.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return (trimmed.isEmpty ? "" : trimmed + "/") + target
    }
}
