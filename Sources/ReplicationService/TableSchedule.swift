import RedshiftReplicator

/// When each table runs next under `rrr serve` (pure logic: the scheduler supplies the clock).
///
/// Each table has a period (`every`: its own, else `serve.every`). Its next run is due a period
/// after its last run *started*, or when that run ended if it took longer (no burst of catch-up
/// runs), plus a random jitter (`serve.jitter`). The first runs are due at start plus a jitter.
/// A running table is never started again before it ends.
package struct TableSchedule: Sendable {
    package struct Entry: Sendable {
        package let table: TableConfiguration
        /// Seconds between starts.
        package let every: Double
        /// Upper bound of the random delay added to each start, in seconds.
        package let jitter: Double
        /// When the next run is due (seconds on the scheduler's clock).
        package var due: Double
        package var running = false
        /// When the running run started.
        package var startedAt: Double?
    }

    package private(set) var entries: [Entry]
    private var random: @Sendable (ClosedRange<Double>) -> Double

    /// A schedule starting at `now`; `random` picks the jitter (default the system's generator).
    package init(tables: [TableConfiguration], settings: ServiceSettings, now: Double,
                 random: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) {
        self.random = random
        entries = tables.map { table in
            let every = Double(table.everySeconds ?? settings.everySeconds)
            let jitter = settings.jitter.seconds(forPeriod: Int(every))
            return Entry(table: table, every: every, jitter: jitter, due: now + random(0...jitter))
        }
    }

    /// Marks as running and returns the due tables that may start now, at most `free`, the most
    /// overdue first.
    package mutating func startDue(now: Double, free: Int) -> [Int] {
        guard free > 0 else { return [] }
        let due = entries.indices.filter { !entries[$0].running && entries[$0].due <= now }
            .sorted { entries[$0].due < entries[$1].due }
            .prefix(free)
        for index in due {
            entries[index].running = true
            entries[index].startedAt = now
        }
        return Array(due)
    }

    /// Records that the run of `index` ended at `now` and schedules the next.
    package mutating func finished(_ index: Int, now: Double) {
        let started = entries[index].startedAt ?? now
        entries[index].running = false
        entries[index].startedAt = nil
        entries[index].due = max(started + entries[index].every, now) + random(0...entries[index].jitter)
    }

    /// The earliest due time of a table not running, if any.
    package var nextDue: Double? {
        entries.filter { !$0.running }.map(\.due).min()
    }

    /// How many tables are running.
    package var runningCount: Int { entries.count { $0.running } }
}
