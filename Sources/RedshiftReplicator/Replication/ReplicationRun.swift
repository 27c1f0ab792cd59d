import AsyncSupport
import Logging

/// One `replicate`, `export` or `import` over a selection of tables, prepared but not started, so
/// its events can be subscribed to before anything happens.
///
/// ```swift
/// let run = replicator.prepare(.replicate, tables: .named(["users"]))
/// let watcher = Task { for await event in run.events { print(event.kind, event.message) } }
/// let outcomes = try await run.start(logger: logger)
/// await watcher.value   // the stream has finished: every event of the run was delivered
/// ```
public final class ReplicationRun: Sendable {
    /// What the run does.
    public let step: ReplicationStep
    /// Which tables.
    public let tables: TableSelection
    /// Whether a table's lock is waited for instead of skipping the table.
    public let wait: Bool
    /// Tables at once; `nil`: the configuration's `jobs`.
    public let jobs: Int?
    /// Every event of this run, in order, none missed (the stream buffers until read), from the
    /// moment ``start(logger:)`` is called. It finishes when the run ends: after the last table's
    /// outcome, or when the run throws. One iterator.
    public let events: AsyncStream<ReplicationEvent>

    private let replicator: Replicator
    private let continuation: AsyncStream<ReplicationEvent>.Continuation
    private let started = Locked(false)

    init(replicator: Replicator, step: ReplicationStep, tables: TableSelection, wait: Bool, jobs: Int?) {
        self.replicator = replicator; self.step = step; self.tables = tables; self.wait = wait; self.jobs = jobs
        (events, continuation) = AsyncStream<ReplicationEvent>.makeStream(bufferingPolicy: .unbounded)
    }

    /// Runs it and returns one outcome per table; ``events`` finishes before this returns.
    /// - Throws: ``ConfigurationError`` for an unknown table name; ``ReplicationFailure`` when the
    ///   run was already started (a run starts once). Table failures are outcomes.
    public func start(logger: Logger) async throws -> [TableOutcome] {
        let first = started.withLock { started in
            defer { started = true }
            return !started
        }
        guard first else { throw ReplicationFailure(.other, "this run was already started; prepare a new one") }
        defer { continuation.finish() }
        return try await replicator.run(step, tables: tables, wait: wait, jobs: jobs, events: continuation, logger: logger)
    }

    deinit { continuation.finish() }
}
