#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// SIGINT and SIGTERM as a request to stop: the work is canceled (so its own cleanup runs: files
/// removed, locks released, records left to resume) instead of the process dying mid-step.
///
/// Used by `rrr`'s run commands around one run, and usable as is by a long-running service around
/// its whole life: `StopSignals.run { … }` returns once the work ends, with the signal that stopped
/// it. A second signal while the work winds down ends the process at once (with the shell's exit
/// code for that signal), for an operator who does not want to wait.
public enum StopSignals {
    /// A signal that asks the process to stop.
    public enum Signal: Int32, Sendable, CaseIterable {
        case interrupt = 2  // SIGINT
        case terminate = 15  // SIGTERM

        /// `SIGINT` or `SIGTERM`.
        public var name: String { self == .interrupt ? "SIGINT" : "SIGTERM" }
        /// The exit code shells use for a process ended by the signal: 128 + its number (130, 143).
        public var exitCode: Int32 { 128 + rawValue }
    }

    /// Runs `work` in a task that SIGINT or SIGTERM cancels; returns its result and the signal that
    /// arrived, if any. The signals get their default action back afterwards.
    public static func run<T: Sendable>(
        _ work: @escaping @Sendable () async throws -> T
    ) async -> (result: Result<T, any Error>, signal: Signal?) {
        let received = ReceivedSignal()
        let task = Task { try await work() }
        let sources = Signal.allCases.map { signalCase in
            let number = signalCase.rawValue
            signal(number, SIG_IGN)  // delivered to the source only, not to the default action
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let first = received.value.withLock { current in
                    defer { if current == nil { current = signalCase } }
                    return current == nil
                }
                if first { task.cancel() } else { _exit(signalCase.exitCode) }
            }
            source.resume()
            return source
        }
        let result = await task.result
        for source in sources { source.cancel() }
        for signalCase in Signal.allCases { signal(signalCase.rawValue, SIG_DFL) }
        return (result, received.value.withLock { $0 })
    }
}

/// The first stop signal a run received (a class: the signal handlers share it).
private final class ReceivedSignal: Sendable {
    let value = Locked<StopSignals.Signal?>(nil)
}
