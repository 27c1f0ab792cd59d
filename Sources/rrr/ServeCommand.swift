import ArgumentParser
import ReplicationService
import RedshiftReplicator

/// `rrr serve`: a long-running process replicating every table on its schedule, with Prometheus
/// metrics and a health check; SIGTERM/SIGINT stop it gracefully (exit 0).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replicate every table on a schedule (serve.every, a table's every), serving /metrics and /healthz.",
        discussion: """
            Runs until SIGTERM or SIGINT: no new run starts, running tables get serve.shutdown_grace to \
            finish, then they are stopped and resume on the next run. The configuration is read once: \
            changes need a restart.
            """)
    @OptionGroup var options: GlobalOptions
    @OptionGroup var parallel: JobsOption
    @Option(help: "Port of /metrics and /healthz (default: metrics.port, else 9464).")
    var metricsPort: Int?

    func validate() throws {
        if let metricsPort, !(1...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be from 1 to 65535, got \(metricsPort)")
        }
    }

    func run() async throws {
        try await withReplicator(options, failure: "serve failed") { replicator, logger in
            try await ReplicationService.run(
                replicator: replicator, jobs: parallel.jobs ?? replicator.configuration.parallelism.jobs,
                metricsPort: metricsPort, logger: logger) { outcome in
                printLine(OutcomeText.line(outcome))
            }
        }
    }
}
