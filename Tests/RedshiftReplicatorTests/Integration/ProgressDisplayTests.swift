import Foundation
import Testing

/// Issue 13 item 11: on a terminal, a live progress line per running table that never shares a
/// line with a log record; nothing of it when stderr is not a terminal.
@Suite("Live progress on a terminal", .enabled(if: TestStack.enabled && FileManager.default.isExecutableFile(atPath: "/usr/bin/script")),
       .timeLimit(.minutes(3)), .closesResources)
struct ProgressDisplayTests {
    /// Runs `rrr` under `script`, which gives it a pseudo-terminal, and returns what the terminal showed.
    static func onTerminal(_ arguments: [String]) async throws -> String {
        let command = ([CLIProcess.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qfec", command, "/dev/null"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let reader = PipeReader(out.fileHandleForReading)
        let data = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: reader.wait()) }
        }
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// A terminal line as a person sees it: escape sequences removed.
    static func visible(_ line: Substring) -> String {
        line.replacingOccurrences(of: "\u{1B}\\[[0-9]*[AJK]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\r", with: "")
    }

    @Test func progressLinesStayApartFromLogLines() async throws {
        let (name, config, source, redshift) = try await CLIProcess.installedUsersTable("progress")
        closeAfterTest { await source.close(); await redshift.close() }
        let screen = try await Self.onTerminal(["replicate", name, "--config", config])
        #expect(screen.contains("\(name): imported"), "the outcome line: \(screen)")
        // A terminal ends lines with "\r\n", one Character in Swift: split on any newline.
        let lines = screen.split(whereSeparator: \.isNewline).map(Self.visible)
        let progress = lines.filter { $0.hasPrefix("\(name)  ") }
        #expect(!progress.isEmpty, "a progress line for the table was drawn: \(screen)")
        #expect(progress.allSatisfy { $0.contains(" rows") && $0.hasSuffix(" s") }, "\(progress)")
        #expect(screen.contains("\u{1B}[J"), "progress lines are erased before a log line or at the end")
        // A log record always starts its own line: never after progress text on the same line.
        for line in lines where line.contains(" info    ") {
            #expect(line.hasPrefix("20"), "a log line starts with its timestamp: \(line)")
        }
        // Not a terminal: no progress, no escape sequences.
        let piped = try await CLIProcess.run(["replicate", name, "--config", config])
        #expect(!piped.stderr.contains("\u{1B}["), "\(piped.stderr)")
    }
}
