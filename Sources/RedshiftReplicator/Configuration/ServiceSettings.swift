/// `rrr serve`'s settings: the schedule (`serve:`; a table's own `every:` overrides the period),
/// the shutdown grace, and where metrics and the health check are served (`metrics:`).
///
/// Read once at start: a long-running `rrr serve` reloads nothing; configuration changes take a restart.
public struct ServiceSettings: Sendable, Hashable {
    /// How much later than its period a run may start, chosen at random per run, so tables (and
    /// several rrr processes) spread out instead of starting together.
    public enum Jitter: Sendable, Hashable, CustomStringConvertible {
        /// A fraction of the table's period (`10%`).
        case fraction(Double)
        /// A fixed number of seconds (`30s`).
        case seconds(Int)

        /// The jitter's upper bound for a period of `every` seconds.
        public func seconds(forPeriod every: Int) -> Double {
            switch self {
            case .fraction(let fraction): return Double(every) * fraction
            case .seconds(let seconds): return Double(seconds)
            }
        }

        public var description: String {
            switch self {
            case .fraction(let fraction): return "\(Int((fraction * 100).rounded()))%"
            case .seconds(let seconds): return "\(seconds) s"
            }
        }
    }

    /// Seconds between the starts of a table's runs (`serve.every`; a table's `every:` overrides
    /// it). Default 15 minutes.
    public var everySeconds: Int = 900
    /// Random delay added to each run's start (`serve.jitter`). Default 10% of the period.
    public var jitter: Jitter = .fraction(0.1)
    /// Seconds a running table gets to finish after SIGTERM/SIGINT before it is stopped and left to
    /// resume (`serve.shutdown_grace`). Default 5 minutes.
    public var shutdownGraceSeconds: Int = 300
    /// Address of the metrics and health endpoint (`metrics.host`). Default `127.0.0.1`; `0.0.0.0`
    /// in a container.
    public var metricsHost: String = "127.0.0.1"
    /// Port of the metrics and health endpoint (`metrics.port`, `--metrics-port`). Default 9464.
    public var metricsPort: Int = 9464

    /// The documented defaults.
    public init() {}
}
