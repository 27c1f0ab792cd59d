import ArgumentParser
import Foundation
import RedshiftReplicator

struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check everything a run needs: source, history table, tables, Redshift, TLS, target tables, S3, COPY.",
        discussion: """
            Prints each check on a line (ok, warning, FAILED, skipped) as it ends; exits 1 when one \
            failed, else 0. Leaves nothing behind (the S3 probe objects and the temporary table go).
            """)
    @OptionGroup var options: GlobalOptions
    func run() async throws {
        let checks = try await withReplicator(options) { replicator, logger in
            await replicator.doctor(logger: logger) { printLine($0.description) }
        }
        let failed = checks.filter { $0.result == .failed }.count
        let warnings = checks.filter { $0.result == .warning }.count
        print(failed == 0 ? "all \(checks.count) checks passed" + (warnings > 0 ? " (\(warnings) warning(s))" : "")
                          : "\(failed) of \(checks.count) checks failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
