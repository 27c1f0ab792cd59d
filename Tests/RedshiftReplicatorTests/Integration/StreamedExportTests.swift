import AWSAuth
import Foundation
import S3
import Testing

/// `stage: stream` and `stage: disk` through the rrr command, and a kill -9 in the middle of a
/// streamed multipart upload.
@Suite("Streamed and disk-staged exports", .enabled(if: TestStack.enabled), .timeLimit(.minutes(5)))
struct StreamedExportTests {
    private func s3() throws -> S3Client { try TestStack.s3() }

    /// A table of `rows` rows of about 160 bytes of CSV each, and its Redshift target.
    private func makeTable(_ stem: String, rows: Int) async throws -> (String, TestSource, SQLClient) {
        let name = TestStack.uniqueName(stem)
        let source = try await TestSource.open(.postgres), redshift = try await SQLClient.redshift()
        try await source.execute("CREATE TABLE \(name) (id bigint PRIMARY KEY, name text)")
        try await source.execute("INSERT INTO \(name) SELECT g, repeat(md5(g::text), 4) || g FROM generate_series(1, \(rows)) g")
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(200))")
        return (name, source, redshift)
    }

    private func latestFileCount(_ name: String, config: String) async throws -> Int? {
        let status = try await CLIProcess.run(["history", name, "--json", "--config", config])
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]]
        return json?.first?["slices"] as? Int
    }

    @Test("kill -9 while a streamed file's multipart upload is open: the next run aborts it, loads once, leaves nothing in S3")
    func killNineMidMultipartUpload() async throws {
        let (name, source, redshift) = try await makeTable("killstream", rows: 50_000)
        defer { Task { await source.close(); await redshift.close() } }
        let config = try CLIProcess.writeConfig(tables: "  \(name):\n    strategy: identity\n", extraSettings: "  slices: 1", sourceURL: source.configURL)
        #expect(try await CLIProcess.run(["install", "--config", config]).status == 0)
        let killed = try await CLIProcess.run(["replicate", name, "--config", config], environment: ["RRR_FAILPOINT_KILL": "part-uploaded"])
        #expect(killed.killedBySignal && killed.status == 9, "rrr was killed after a part reached S3: \(killed.stderr.suffix(2000))")
        let s3 = try s3(), bucket = try TestStack.value("RRR_TEST_S3_BUCKET"), prefix = "rrr-cli-tests/\(name)/"
        let open = try await s3.incompleteMultipartUploadKeys(bucket: bucket, prefix: prefix, logger: TestStack.logger)
        #expect(open.count == 1, "the killed export left its multipart upload open: \(open)")
        #expect(try await redshift.count(name) == 0)

        let completed = try await CLIProcess.run(["replicate", name, "--config", config])
        #expect(completed.status == 0, "\(completed.stdout)\n\(completed.stderr)")
        #expect(try await redshift.count(name) == 50_000)
        #expect(try await redshift.rows("SELECT CAST(COUNT(DISTINCT id) AS VARCHAR) FROM \(name)") == [["50000"]])
        #expect(try await s3.incompleteMultipartUploadKeys(bucket: bucket, prefix: prefix, logger: TestStack.logger).isEmpty,
                "no incomplete upload is left behind")
        #expect(try await s3.listObjects(bucket: bucket, prefix: prefix, logger: TestStack.logger).isEmpty, "no object is left behind")
    }

    @Test("stream and disk staging load the same rows in a multiple of the slices, the disk folder removed",
          arguments: ["stream", "disk"])
    func stagesLoadInAMultipleOfTheSlices(stage: String) async throws {
        let (name, source, redshift) = try await makeTable("stage\(stage)", rows: 60_000)
        defer { Task { await source.close(); await redshift.close() } }
        // About 9.6 MB of CSV in files of at most 1 MB: several rounds of 3 files.
        let config = try CLIProcess.writeConfig(
            tables: "  \(name):\n    strategy: identity\n", extraSettings: "  slices: 3\n  max_file_size: 1 MB\n  stage: \(stage)",
            sourceURL: source.configURL)
        #expect(try await CLIProcess.run(["install", "--config", config]).status == 0)
        let run = try await CLIProcess.run(["replicate", name, "--config", config])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(try await redshift.count(name) == 60_000)
        let files = try #require(try await latestFileCount(name, config: config))
        #expect(files >= 9 && files % 3 == 0, "\(files) files")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("rrr-\(name)") }
        #expect(leftovers.isEmpty, "the local folder is removed: \(leftovers)")
    }

    @Test("without slices:, the export uses the cluster's slice count from stv_slices")
    func sliceCountComesFromTheCluster() async throws {
        let (name, source, redshift) = try await makeTable("stvslices", rows: 30_000)
        defer { Task { await source.close(); await redshift.close() } }
        let config = try CLIProcess.writeConfig(tables: "  \(name):\n    strategy: identity\n", sourceURL: source.configURL)
        #expect(try await CLIProcess.run(["install", "--config", config]).status == 0)
        let run = try await CLIProcess.run(["replicate", name, "--config", config])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let slices = try await redshift.rows("SELECT CAST(COUNT(*) AS VARCHAR) FROM stv_slices").first?.first.flatMap { $0.flatMap(Int.init) }
        let count = try #require(slices)
        #expect(try await latestFileCount(name, config: config) == count, "one round of \(count) files")
        #expect(try await redshift.count(name) == 30_000)
    }
}
