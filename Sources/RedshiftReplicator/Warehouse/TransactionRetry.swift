/// How a transaction Redshift canceled with a serializable isolation violation (`ERROR: 1023`) is
/// run again: AWS's first advice is "Retry the canceled transaction"
/// (c_serial_isolation-serializable-isolation-troubleshooting). Bounded, with doubling waits.
struct TransactionRetry: Sendable {
    /// Attempts in all, the first included. Default 4.
    var attempts = 4
    /// The wait before the second attempt; each further wait doubles it. Default 1 second.
    var firstDelay: Duration = .seconds(1)

    /// The wait before attempt `attempt` (2, 3, ...).
    func delay(before attempt: Int) -> Duration {
        firstDelay * (1 << max(0, min(attempt - 2, 16)))
    }

    /// Runs `transaction` (which rolls itself back when it fails) until it succeeds, fails for
    /// another reason, or the attempts are used up; `onRetry` hears of each retry before its wait.
    func run<T>(
        onRetry: (_ attempt: Int, _ delay: Duration, _ error: WarehouseError) -> Void,
        _ transaction: () async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await transaction()
            } catch let error as WarehouseError where error.code == .serializableIsolationViolation && attempt < attempts {
                attempt += 1
                let wait = delay(before: attempt)
                onRetry(attempt, wait, error)
                try await Task.sleep(for: wait)
            }
        }
    }
}

extension EventReporter {
    /// Reports each retry of `transaction` after a serializable isolation violation as a warning.
    func retrying(_ transaction: String) -> (_ attempt: Int, _ delay: Duration, _ error: WarehouseError) -> Void {
        { attempt, delay, error in
            let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
            self(.warning, .transactionRetried, "Redshift canceled the \(transaction) (serializable isolation violation, ERROR 1023): "
                 + "attempt \(attempt) in \(String(format: "%.1f", seconds)) s; \(error.message)")
        }
    }
}
