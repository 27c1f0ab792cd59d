import MySQLClient
import SQLiteClient
import Testing
@testable import RedshiftReplicator

@Suite("Source drivers and typed failures")
struct SourceDriverAndFailureTests {
    @Test func theURLSchemeChoosesTheDriverAndAnUnknownOneNamesTheSupported() throws {
        let drivers = SourceDriver.builtIn
        #expect(try drivers.openSource(DatabaseURL(parsing: "postgresql://u@h/db")) is PostgresSource)
        #expect(try drivers.openSource(DatabaseURL(parsing: "mariadb://u@h/db")) is MySQLSource)
        #expect(try drivers.openSource(DatabaseURL(parsing: "/srv/app.sqlite3")) is SQLiteSource)
        do {
            _ = try drivers.openSource(DatabaseURL(parsing: "oracle://u@h/db"))
            Issue.record("an unknown scheme must fail")
        } catch let error as SourceError {
            #expect(error.code == .unsupportedSource)
            #expect(error.message.contains("oracle://") && error.message.contains("postgres://") && error.message.contains("sqlite:"))
        }
    }

    @Test func aLibraryUserBringsTheirOwnDriver() throws {
        // Another scheme served by a source of the user's choosing (here SQLite's, under a name of their own).
        let own = SourceDriver(name: "App files", schemes: ["appdb"]) { url in SQLiteSource(url: url) }
        let url = try DatabaseURL(parsing: "appdb://localhost/data.db")
        let source = try (SourceDriver.builtIn + [own]).openSource(url)
        #expect((source as? SQLiteSource)?.path == "data.db")
        #expect(throws: SourceError.self) { try SourceDriver.builtIn.openSource(url) }
    }

    @Test func failuresAreClassifiedByWhereTheyHappened() {
        #expect(ReplicationFailure(ConfigurationError(.missingSetting, setting: "aws.iam_role", "missing")).kind == .configuration)
        #expect(ReplicationFailure(SourceError(.tableNotFound, "source table `t` does not exist")).kind == .source)
        #expect(ReplicationFailure(MySQLError(.lockTimedOut, "held")).kind == .lockBusy)
        #expect(ReplicationFailure(MySQLError(.queryFailed, "gone")).kind == .source)
        #expect(ReplicationFailure(SQLiteError(.lockTimedOut, "held")).kind == .lockBusy)
        // A driver brought by a library user classifies its client's errors the same way.
        struct OracleError: SourceClientError { var isLockBusy: Bool }
        #expect(ReplicationFailure(OracleError(isLockBusy: true)).kind == .lockBusy)
        #expect(ReplicationFailure(OracleError(isLockBusy: false)).kind == .source)
        #expect(ReplicationFailure(WarehouseError(.loadFailed, "stl_load_errors: line 2")).kind == .loadRejected)
        #expect(ReplicationFailure(WarehouseError(.statementFailed, "x")).kind == .warehouse)
        #expect(ReplicationFailure(DeleteTrackingError(.notInstalled, "run rrr install")).kind == .deleteTracking)
        #expect(ReplicationFailure(CancellationError()).kind == .cancelled)
        let failure = ReplicationFailure(SourceError(.columnMissing, "column `a` is missing"))
        #expect(failure.message.contains("column `a` is missing") && ReplicationFailure(failure) == failure, "a failure keeps its kind")
    }
}
