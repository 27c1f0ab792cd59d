import AWSAuth
import Foundation
import S3
import Testing

extension TestStack {
    /// A client of the stack's S3 server, to look at what rrr left in the bucket.
    static func s3() throws -> S3Client {
        S3Client(configuration: .init(
            credentials: AWSCredentials(accessKeyID: try value("RRR_TEST_S3_ACCESS_KEY_ID"),
                                        secretAccessKey: try value("RRR_TEST_S3_SECRET_ACCESS_KEY")),
            region: environment["RRR_TEST_S3_REGION"] ?? "us-east-1",
            endpoint: try value("RRR_TEST_S3_ENDPOINT"), addressingStyle: .path))
    }
}

/// Issue 12 item 15: S3 files are never orphaned. A run sweeps its table's folder for the files of
/// replications that are finished (a process killed between `imported` and their deletion) or
/// canceled; before, they stayed forever.
@Suite("S3 leftovers are swept", .enabled(if: TestStack.enabled), .timeLimit(.minutes(3)), .closesResources)
struct S3LeftoversTests {
    private func objects(_ name: String) async throws -> [String] {
        try await TestStack.s3().listObjects(bucket: try TestStack.value("RRR_TEST_S3_BUCKET"), prefix: "rrr-cli-tests/\(name)/", logger: TestStack.logger).map(\.key)
    }

    @Test func aKillBetweenImportedAndTheDeletionLeavesNothingAfterTheNextRun() async throws {
        let (name, config, source, redshift) = try await CLIProcess.installedUsersTable("sweepkill")
        closeAfterTest { await source.close(); await redshift.close() }
        let killed = try await CLIProcess.run(["replicate", name, "--config", config], environment: ["RRR_FAILPOINT_KILL": "imported"])
        #expect(killed.killedBySignal && killed.status == 9, "\(killed.stderr.suffix(2000))")
        #expect(try await redshift.count(name) == 25)
        #expect(!(try await objects(name)).isEmpty, "the killed run left its uploaded files")

        let next = try await CLIProcess.run(["replicate", name, "--config", config])
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
        #expect(next.stderr.contains("removed the S3 files of 1 finished or canceled replication(s)"), "\(next.stderr)")
        #expect(try await objects(name) == [], "nothing is left behind")
        #expect(try await redshift.count(name) == 25)
    }

    @Test func aCanceledReplicationsFilesGoWithTheNextRun() async throws {
        let (name, config, source, redshift) = try await CLIProcess.installedUsersTable("sweepcancel")
        closeAfterTest { await source.close(); await redshift.close() }
        #expect(try await CLIProcess.run(["export", name, "--config", config]).status == 0)
        let cancel = try await CLIProcess.run(["cancel", name, "--config", config])
        #expect(cancel.stdout.contains("canceled replication"), "\(cancel.stdout)\(cancel.stderr)")
        #expect(!(try await objects(name)).isEmpty, "the canceled replication's upload is still there")

        let next = try await CLIProcess.run(["replicate", name, "--config", config])
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
        #expect(try await objects(name) == [], "nothing is left behind")
        #expect(try await redshift.count(name) == 25)
    }
}
