import Foundation
import Logging
import MySQLClient
import RedshiftCSV

/// A MySQL or MariaDB source (`mysql://` or `mariadb://`) read through libmariadb: metadata and
/// history on one shared session, each export on its own consistent-snapshot transaction, each
/// table lock (`GET_LOCK`) on its own session.
struct MySQLSource: ReplicationSource {
    let configuration: MySQLConfiguration
    let shared: SharedHandle<MySQLConnection>

    /// Creates a source for `url`; connects lazily.
    /// - Throws: ``SourceError`` `.connectionFailed` when the URL's options are invalid.
    public init(url: DatabaseURL) throws {
        do { configuration = try MySQLConfiguration(url: url.mysqlConnectionString) } catch {
            throw SourceError(.connectionFailed, "source.url \(url): \(error)")
        }
        let configuration = configuration
        shared = SharedHandle { try await MySQLConnection.connect(configuration, logger: $0) }
    }

    public var dialect: any SQLDialect { MySQLDialect() }

    public func columns(of table: String, logger: Logger) async throws -> [SourceColumn] {
        let columns = try await shared.run(logger: logger) { try $0.columns(ofTable: table, logger: logger) }
        guard !columns.isEmpty else { throw SourceError(.tableNotFound, "source table `\(table)` does not exist in database `\(configuration.database)`") }
        return columns.map { SourceColumn(name: $0.name, typeName: $0.columnType, conversion: Self.conversion($0.dataType), isNullable: $0.isNullable) }
    }

    public func primaryKey(of table: String, logger: Logger) async throws -> [String] {
        _ = try await columns(of: table, logger: logger)
        return try await shared.run(logger: logger) { try $0.primaryKey(ofTable: table, logger: logger) }
    }

    /// Binary columns leave as hex; everything else is converted by the client by type.
    static func conversion(_ dataType: String) -> ColumnConversion {
        ["binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"].contains(dataType.lowercased()) ? .hex : .text
    }

    public func withTableLock<T: Sendable>(_ key: String, wait: Bool, logger: Logger, body: () async throws -> T) async throws -> T? {
        let connection = try await MySQLConnection.connect(configuration, logger: logger)
        let name = MySQLConnection.lockName(database: configuration.database, table: key)
        do {
            do {
                // GET_LOCK's timeout is in seconds; "wait" waits up to a day rather than forever.
                try await connection.acquireLock(name, timeoutSeconds: wait ? 86_400 : 0, logger: logger)
            } catch let error as MySQLError where error.code == .lockTimedOut && !wait {
                await connection.close()
                return nil
            }
            logger.debug("holding table lock", metadata: ["rrr_lock": "\(name)"])
            let result = try await body()
            await Self.releaseAndClose(connection, name, logger: logger)
            return result
        } catch {
            await Self.releaseAndClose(connection, name, logger: logger)
            throw error
        }
    }

    /// Releases before closing: the server drops a closed session's locks only once it has noticed
    /// the disconnect, so a run that starts right after ours could still find the table locked.
    private static func releaseAndClose(_ connection: MySQLConnection, _ name: String, logger: Logger) async {
        _ = try? await connection.releaseLock(name, logger: logger)
        await connection.close()
    }

    public func close() async { await shared.close() }
}

extension DatabaseURL {
    /// The URL text the MySQL client parses, password included: only ever handed to the client,
    /// never logged (``description`` is the redacted form).
    var mysqlConnectionString: String {
        func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
        }
        var text = "mysql://"
        if let user { text += encode(user) + (password.map { ":" + encode($0.value) } ?? "") + "@" }
        text += host.contains(":") ? "[\(host)]" : host
        if let port { text += ":\(port)" }
        text += "/" + encode(database)
        if !parameters.isEmpty {
            text += "?" + parameters.sorted { $0.key < $1.key }.map { "\(encode($0.key))=\(encode($0.value))" }.joined(separator: "&")
        }
        return text
    }
}

extension MySQLError: SourceClientError {
    /// `GET_LOCK` timed out: another replication of the table holds it.
    package var isLockBusy: Bool { code == .lockTimedOut }
}
