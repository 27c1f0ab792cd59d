import Foundation
import Logging

/// How log records are written to stderr: `text` for people, `json` (one object a line) for log
/// shippers.
enum LogFormat: String, CaseIterable {
    case text, json
}

/// rrr's log handler: every record one line on stderr, with a UTC timestamp; a multi-line message
/// stays one record (text: continuation lines indented; JSON: `\n` inside the string). Written
/// unbuffered, straight to the file descriptor, so `2>>log` under cron loses nothing.
struct LogOutput: LogHandler {
    let label: String
    let format: LogFormat
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
             source: String, file: String, function: String, line: UInt) {
        let merged = metadata.merging(explicit ?? [:]) { $1 }
        let time = Self.timestamp()
        let text: String
        switch format {
        case .json:
            var object: [String: String] = ["time": time, "level": level.rawValue, "message": message.description]
            for (key, value) in merged { object[key] = "\(value)" }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            text = String(decoding: data, as: UTF8.self)
        case .text:
            let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
            let body = message.description.replacingOccurrences(of: "\n", with: "\n    ")
            text = "\(time) \(level.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(body)\(fields)"
        }
        // Through the progress display, which keeps its lines below the log (straight to stderr when it is off).
        ProgressDisplay.shared.write(text + "\n")
    }

    /// `2026-11-30T19:08:00.123Z`.
    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
