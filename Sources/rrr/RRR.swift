import ArgumentParser
import Foundation
import RedshiftReplicator

/// `rrr`: replicate PostgreSQL tables into Redshift. A thin layer over `RedshiftReplicator`.
///
/// Exit codes: 0 every table succeeded; 1 at least one table failed; 2 usage or configuration
/// error; 3 nothing failed but at least one table was skipped because another process held its lock.
@main
struct RRR: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rrr",
        abstract: "Incrementally replicate database tables into Amazon Redshift.",
        discussion: """
            Exit codes: 0 all tables ok, 1 some table failed, 2 usage/configuration error, \
            3 skipped because another rrr process holds a table's lock.
            """,
        version: RRRVersion.current,
        subcommands: [Init.self, Doctor.self, Schema.self, Install.self, Replicate.self, Export.self, Import.self, Status.self,
                      History.self, Cancel.self, Reset.self, Triggers.self, Deletes.self, Verify.self, Vacuum.self, Analyze.self, Serve.self])

    /// Parses and runs; usage errors exit with 2 (not argument-parser's 64) as documented.
    static func main() async {
        MemoryTuning.apply()
        Failpoints.installFromEnvironment()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
