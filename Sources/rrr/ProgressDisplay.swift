import Foundation
import RedshiftReplicator

/// The live progress of a run on a terminal: one line per running table (export, upload, COPY:
/// rows, bytes, rate, elapsed), under the log lines. It is the terminal's one writer while it
/// shows: log records go through ``write(_:)``, which clears the progress lines, writes the record
/// and draws them again, all in one `write(2)` under one lock, so a log line and a progress line
/// never mix. Shown only when stderr is a terminal and neither `--quiet` nor `--log-format json`.
final class ProgressDisplay: @unchecked Sendable {
    /// The one display; inactive (every write goes straight to stderr) unless a run started it.
    static let shared = ProgressDisplay()

    enum Phase: String { case export, upload, copy = "COPY" }

    struct Line {
        var phase: Phase
        var rows: Int64 = 0
        var bytes: Int64 = 0
        var rowsPerSecond: Double = 0
        var started = Date()
        var phaseStarted = Date()
    }

    private let lock = NSLock()
    private var active = false
    private var lines: [String: Line] = [:]
    private var order: [String] = []
    private var drawn = 0

    /// Writes `text` (whole lines) to stderr, keeping the progress lines below it.
    func write(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        Self.emit(active ? erase() + text + render() : text)
    }

    /// Starts showing `replicator`'s progress when stderr is a terminal and the options allow it;
    /// returns what stops it (clearing the lines), `nil` when nothing is shown.
    static func start(_ replicator: Replicator, options: GlobalOptions) -> (@Sendable () -> Void)? {
        guard isatty(STDERR_FILENO) == 1, !options.quiet, options.logFormat == .text else { return nil }
        let display = shared
        let progress = replicator.progress, events = replicator.events
        display.setActive(true)
        let tasks = [
            Task.detached { for await p in progress { display.exported(p) } },
            Task.detached { for await event in events { display.handle(event) } },
            Task.detached {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(500))
                    display.redraw()
                }
            },
        ]
        return {
            for task in tasks { task.cancel() }
            display.setActive(false)
        }
    }

    private func setActive(_ on: Bool) {
        lock.lock(); defer { lock.unlock() }
        if !on { Self.emit(erase()); lines = [:]; order = [] }
        active = on
    }

    private func exported(_ progress: ExportProgress) {
        change(progress.table) { line in
            if line == nil { line = Line(phase: .export) }
            line?.rows = progress.rows; line?.bytes = progress.bytes; line?.rowsPerSecond = progress.rowsPerSecond
            if progress.finished, line?.phase == .export { line?.phase = .upload; line?.phaseStarted = Date() }
        }
    }

    private func handle(_ event: ReplicationEvent) {
        guard let table = event.table else { return }
        switch event.kind {
        case .exported, .resumingImport:
            change(table) { line in
                if line == nil { line = Line(phase: .upload) }
                if line?.phase == .export { line?.phase = .upload; line?.phaseStarted = Date() }
            }
        case .loading:
            change(table) { line in
                if line == nil { line = Line(phase: .copy) }
                line?.phase = .copy; line?.phaseStarted = Date()
            }
        case .imported, .failed, .upToDate, .nothingToImport, .skippedLocked, .replicatedElsewhere, .canceled, .alreadyLoaded, .retriesExhausted:
            change(table) { $0 = nil }
        default:
            break
        }
    }

    private func change(_ table: String, _ body: (inout Line?) -> Void) {
        lock.lock(); defer { lock.unlock() }
        guard active else { return }
        var line = lines[table]
        body(&line)
        if line != nil, lines[table] == nil { order.append(table) }
        if line == nil { order.removeAll { $0 == table } }
        lines[table] = line
        Self.emit(erase() + render())
    }

    private func redraw() {
        lock.lock(); defer { lock.unlock() }
        guard active, !order.isEmpty else { return }
        Self.emit(erase() + render())
    }

    /// Moves up over the lines drawn last and clears to the end of the screen.
    private func erase() -> String {
        defer { drawn = 0 }
        return drawn == 0 ? "" : "\u{1B}[\(drawn)A\r\u{1B}[J"
    }

    private func render() -> String {
        let width = Self.terminalWidth()
        let now = Date()
        let text = order.compactMap { table in lines[table].map { Self.text(table, $0, now: now) } }
            .map { String($0.prefix(max(width - 1, 20))) + "\n" }
        drawn = text.count
        return text.joined()
    }

    /// `users  export  12,345 rows  3.4 MB  5,210 rows/s  2.4 s`; upload and COPY add their own time.
    static func text(_ table: String, _ line: Line, now: Date) -> String {
        let total = now.timeIntervalSince(line.started)
        var parts = [table, line.phase.rawValue, "\(line.rows.formatted()) rows", String(format: "%.1f MB", Double(line.bytes) / 1_048_576)]
        if line.rowsPerSecond > 0 { parts.append("\(Int(line.rowsPerSecond).formatted()) rows/s") }
        if line.phase != .export { parts.append(line.phase.rawValue + String(format: " %.1f s", now.timeIntervalSince(line.phaseStarted))) }
        parts.append(String(format: "%.1f s", total))
        return parts.joined(separator: "  ")
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        return ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }

    private static func emit(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
