import Logging
import MySQLClient

extension MySQLSource: SnapshotDeleteTrackingSource {
    var deleteTracker: SnapshotDeleteTracker<MySQLConnection> {
        let database = configuration.database
        return SnapshotDeleteTracker(source: self, shared: shared, sql: MySQLDeleteTrackingSQL()) {
            Self.explainTriggerFailure($0, table: $1, database: database)
        }
    }

    /// The server's refusals to create or drop a trigger, said plainly: which table, which
    /// privilege. Other errors pass unchanged.
    static func explainTriggerFailure(_ error: any Error, table: TrackedTable, database: String) -> any Error {
        guard let error = error as? MySQLError else { return error }
        let target = MySQLDialect().quoteIdentifier(database) + "." + MySQLDialect().quoteIdentifier(table.sourceTable)
        switch error.errorNumber {
        case 1142, 1044:  // ER_TABLEACCESS_DENIED_ERROR, ER_DBACCESS_DENIED_ERROR
            return DeleteTrackingError(.missingPrivilege, "table \(table.name): the delete trigger on \(target) needs the TRIGGER privilege (GRANT TRIGGER ON \(target) TO <rrr's user>): \(error.message)")
        case 1419:  // ER_BINLOG_CREATE_ROUTINE_NEED_SUPER
            return DeleteTrackingError(.missingPrivilege, "table \(table.name): the server logs binary, so creating the delete trigger on \(target) needs the SUPER privilege or log_bin_trust_function_creators = 1: \(error.message)")
        case 1227:  // ER_SPECIFIC_ACCESS_DENIED_ERROR
            return DeleteTrackingError(.missingPrivilege, "table \(table.name): the delete trigger on \(target) needs a privilege rrr's user lacks: \(error.message)")
        default:
            return error
        }
    }
}

extension MySQLConnection: DeleteTrackingHandle {
    /// `START TRANSACTION WITH CONSISTENT SNAPSHOT`: the snapshot is taken now, not at the first read.
    func beginReadSnapshot(logger: Logger) throws { try beginConsistentSnapshot(logger: logger) }

    /// DDL commits implicitly in MySQL: only DML in the transaction is atomic.
    func beginWrite(logger: Logger) throws { try execute("START TRANSACTION", logger: logger) }
}
