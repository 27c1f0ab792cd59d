import Foundation
import Testing
@testable import RedshiftReplicator

/// Issue 12 item 15: SIGINT and SIGTERM sent to a real `rrr replicate` mid-export stop it cleanly:
/// local files removed, lock released, the record left for the next run to resume, one line, exit
/// 130/143. Before, the default action killed the process on the spot (leaving the files).
@Suite("A signal stops a run cleanly", .enabled(if: TestStack.enabled), .timeLimit(.minutes(3)), .closesResources)
struct SignalStopTests {
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalMidExportStopsTheRunAndTheNextRunResumes(signal: Int32) async throws {
        let name = TestStack.uniqueName("signal")
        let source = try await SQLClient.source(), redshift = try await SQLClient.redshift()
        closeAfterTest { await source.close(); await redshift.close() }
        // The source is a view whose last 40 rows wait for an advisory lock the test holds: the
        // export reads 20,000 rows, then waits (whatever the machine's load) until the test lets go.
        let gate = 4_240_000 + Int(signal)
        let holder = try await SQLClient.source()
        closeAfterTest { await holder.close() }
        _ = try await holder.rows("SELECT CAST(pg_advisory_lock(\(gate)) AS VARCHAR)")
        try await source.execute("""
            CREATE TABLE \(name)_rows (id bigint PRIMARY KEY, name text, updated_at timestamp DEFAULT now());
            INSERT INTO \(name)_rows (id, name) SELECT g, 'u' || g FROM generate_series(1, 20040) g;
            CREATE FUNCTION \(name)_slow(bigint) RETURNS bigint VOLATILE LANGUAGE sql AS 'SELECT $1 FROM (SELECT pg_advisory_xact_lock_shared(\(gate))) AS gate';
            CREATE VIEW \(name) AS SELECT CASE WHEN id > 20000 THEN \(name)_slow(id) ELSE id END AS id, name, updated_at FROM \(name)_rows
            """)
        try await redshift.execute("CREATE TABLE \(name) (id BIGINT, name VARCHAR(16), updated_at TIMESTAMP)")
        let local = NSTemporaryDirectory() + "rrr-signal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: local, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: local) }
        let config = try CLIProcess.writeConfig(tables: "  \(name):\n    strategy: full\n    stage: disk\n    local_path: \(local)\n")
        #expect(try await CLIProcess.run(["install", "--config", config]).status == 0)

        let run = try RunningCLI(["replicate", name, "--config", config])
        let state = "SELECT CAST(state AS text), CAST(id AS text) FROM rrr_replications WHERE target_table = '\(name)' ORDER BY id DESC LIMIT 1"
        var exporting = false
        for _ in 0..<600 where !exporting {
            try await Task.sleep(for: .milliseconds(100))
            exporting = try await source.rows(state).first?.first == "exporting"
        }
        #expect(exporting, "the run reached the export")
        // Into the gated rows: the export cannot end while the gate is held (a file is written only
        // when its round is full or the export ends, so files on disk cannot tell).
        try await Task.sleep(for: .seconds(1))
        #expect(try await source.rows(state).first?.first == "exporting", "still exporting when the signal comes")
        let sent = ContinuousClock.now
        run.send(signal)
        let result = await run.finish()
        _ = try await holder.rows("SELECT CAST(pg_advisory_unlock(\(gate)) AS VARCHAR)")
        let signalName = signal == SIGINT ? "SIGINT" : "SIGTERM"

        #expect(!result.killedBySignal, "the process handled the signal")
        #expect(result.status == 128 + signal, "\(result.stderr)")
        #expect(ContinuousClock.now - sent < .seconds(8), "it stopped promptly, not after the ten-second export")
        #expect(result.stderr.contains("rrr: stopped by \(signalName)"), "\(result.stderr)")
        #expect(result.stdout.isEmpty, "no table lines: the one stop line on stderr says it all")
        #expect(!Self.holdsFiles(local), "the local files were removed")
        let interrupted = try await source.rows(state).first
        #expect(interrupted?.first == "exporting", "the record was left to resume")

        // The lock is free (the next run is not skipped) and resumes the same replication.
        let next = try await CLIProcess.run(["replicate", name, "--config", config])
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
        #expect(try await source.rows(state).first == ["imported", interrupted?.last ?? nil])
        #expect(try await redshift.count(name) == 20040)
    }

    /// Whether any file (not just folders) is under `path`.
    static func holdsFiles(_ path: String) -> Bool {
        let enumerator = FileManager.default.enumerator(at: URL(fileURLWithPath: path), includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { return true }
        }
        return false
    }
}
