import Dispatch
import Foundation
import Logging
import RedshiftReplicator
import ServiceLifecycle

/// Replicates the configured tables on their schedule (``TableSchedule``) until graceful shutdown.
///
/// Up to `jobs` tables run at once, sharing one ``TableRunner`` (the connection budgets hold across
/// overlapping schedules); a table whose run is still going is not started again (and the table's
/// lock keeps other processes off it). On SIGTERM/SIGINT no new run starts; running tables get
/// `serve.shutdown_grace` to finish, then they are stopped (canceled): each leaves its record in the
/// state it reached, and the next run resumes it, as after any interrupted run.
package struct ReplicationScheduler: Service {
    let replicator: Replicator
    let board: TableBoard
    let jobs: Int
    let logger: Logger
    /// Called with each outcome (the command prints its line).
    let onOutcome: @Sendable (TableOutcome) -> Void

    /// How often the statuses of every table are read again (runs by other processes, ageing data).
    static let refreshInterval: Duration = .seconds(60)
    /// How long stopped tables get to wind down after the grace before the process exits anyway.
    static let stopWindow: Duration = .seconds(30)

    package init(replicator: Replicator, board: TableBoard, jobs: Int, logger: Logger,
                 onOutcome: @escaping @Sendable (TableOutcome) -> Void) {
        self.replicator = replicator; self.board = board; self.jobs = max(1, jobs); self.logger = logger; self.onOutcome = onOutcome
    }

    private enum Event: Sendable {
        case finished(index: Int, outcome: TableOutcome)
        case tick(at: Double)
        case refreshed
        case shutdown
        case graceOver
        case other
    }

    package func run() async throws {
        let settings = replicator.configuration.service
        let clock = ContinuousClock(), origin = clock.now
        @Sendable func seconds() -> Double { Self.seconds(clock.now - origin) }
        let runner = try await TableRunner.open(replicator, jobs: jobs, logger: logger)
        var schedule = TableSchedule(tables: replicator.configuration.tables, settings: settings, now: seconds())
        let plan = schedule.entries.map { "\($0.table.name) every \(Int($0.every)) s" }.joined(separator: ", ")
        logger.info("serving \(schedule.entries.count) table(s), up to \(jobs) at once: \(plan); jitter \(settings.jitter), shutdown grace \(settings.shutdownGraceSeconds) s")
        let (replicator, board, logger) = (self.replicator, self.board, self.logger)
        await board.refresh(replicator, logger: logger)
        await withTaskGroup(of: Event.self) { group in
            group.addTask {
                try? await gracefulShutdown()
                return .shutdown
            }
            group.addTask {
                for await progress in replicator.progress { board.record(progress) }
                return .other
            }
            group.addTask {
                try? await Task.sleep(for: Self.refreshInterval)
                return .refreshed
            }
            var stopping = false
            var pendingTick: Double?
            loop: while true {
                if !stopping {
                    let now = seconds()
                    for index in schedule.startDue(now: now, free: jobs - schedule.runningCount) {
                        let table = schedule.entries[index].table
                        group.addTask {
                            let outcome = await runner.run(.replicate, table: table, wait: false, logger: logger)
                            board.record(outcome)
                            await board.refresh(replicator, tables: [table.name], logger: logger)
                            return .finished(index: index, outcome: outcome)
                        }
                    }
                    if let next = schedule.nextDue, pendingTick.map({ next < $0 }) ?? true {
                        pendingTick = next
                        let wait = max(0, next - now)
                        group.addTask {
                            try? await Task.sleep(for: .seconds(wait))
                            return .tick(at: next)
                        }
                    }
                }
                if stopping && schedule.runningCount == 0 { break loop }
                guard let event = await group.next() else { break loop }
                switch event {
                case .finished(let index, let outcome):
                    schedule.finished(index, now: seconds())
                    onOutcome(outcome)
                case .tick(let at):
                    if pendingTick == at { pendingTick = nil }
                case .refreshed:
                    guard !stopping else { break }
                    group.addTask {
                        await board.refresh(replicator, logger: logger)
                        try? await Task.sleep(for: Self.refreshInterval)
                        return .refreshed
                    }
                case .shutdown:
                    guard !stopping else { break }
                    stopping = true
                    let running = schedule.entries.filter(\.running).map(\.table.name)
                    let waiting = running.isEmpty ? "no table is running"
                        : "waiting up to \(settings.shutdownGraceSeconds) s for \(running.joined(separator: ", ")) to finish"
                    logger.notice("stopping: \(waiting)")
                    group.addTask {
                        try? await Task.sleep(for: .seconds(settings.shutdownGraceSeconds))
                        return .graceOver
                    }
                case .graceOver:
                    let running = schedule.entries.filter(\.running).map(\.table.name)
                    guard stopping, !running.isEmpty else { break }
                    logger.warning("shutdown grace of \(settings.shutdownGraceSeconds) s is over: stopping \(running.joined(separator: ", ")); each resumes on the next run")
                    Self.exitUnlessStopped(within: Self.stopWindow, tables: running, logger: logger)
                    group.cancelAll()
                case .other:
                    break
                }
            }
            group.cancelAll()
        }
        await runner.close()
        logger.notice("stopped")
    }

    /// The engine stops a canceled run promptly (each step checks for cancellation, statements have
    /// deadlines); should one still hang, the process exits: its record and lock behave as after a
    /// kill (the lock ends with the session, the next run resumes the record).
    private static func exitUnlessStopped(within window: Duration, tables: [String], logger: Logger) {
        let seconds = Double(window.components.seconds)
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            logger.critical("\(tables.joined(separator: ", ")) did not stop within \(Int(seconds)) s of being stopped: exiting; the next run resumes them")
            exit(1)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
