import Foundation
import Logging
import PostgresNIO
import RedshiftCSV

extension Replicator {
    /// Checks, in the order a run needs them, everything a run needs: the source (reachable, table
    /// locks, the history table installed and writable), each configured table (exists, a key, the
    /// replication field), Redshift (reachable, TLS, the ledger, each target table and its columns
    /// in the source), S3 (put, get, list, delete under the prefix) and COPY (a probe file loaded
    /// from S3 into a temporary table with the configured credentials). Nothing is left behind.
    ///
    /// - Parameter report: hears each check as it ends (for printing as they go).
    /// - Returns: every check; a run would fail where one is `.failed`.
    public func doctor(logger: Logger, report: @escaping @Sendable (DoctorCheck) -> Void = { _ in }) async -> [DoctorCheck] {
        let log = DoctorLog(report: report)
        let sourceColumns = await doctorSource(log, logger: logger)
        let probe = await doctorStagePut(log, logger: logger)
        await doctorRedshift(log, sourceColumns: sourceColumns, probe: probe, logger: logger)
        if let probe { await doctorStageDelete(log, probe: probe, logger: logger) }
        return log.checks
    }

    /// The source checks; returns the columns of each table that could be read (lower-cased names).
    private func doctorSource(_ log: DoctorLog, logger: Logger) async -> [String: Set<String>] {
        let source: any ReplicationSource
        do {
            source = try makeSource()
            let locked = try await source.withTableLock("rrr:doctor", wait: false, logger: logger) { true }
            log(DoctorCheck("source", .ok, "\(configuration.source) reachable; table locks " + (locked == nil ? "in use by another rrr doctor" : "usable")))
        } catch {
            log(DoctorCheck("source", .failed, "\(configuration.source): \(error)"))
            for table in configuration.tables { log(DoctorCheck("table \(table.name)", .skipped, "the source is unreachable")) }
            return [:]
        }
        do {
            try await configuration.history(of: source).checkInstalled(logger: logger)
            // Writable too: a probe record of a table pair no configuration can name, removed at once.
            var probe = ReplicationRecord(replicationType: .full, key: "rrr-doctor-\(UUID().uuidString)", sourceTable: "rrr doctor probe",
                                          targetTable: "rrr doctor probe", slices: 1, exportFormat: .csv)
            probe.state = .canceled
            let saved = try await configuration.history(of: source).insert(probe, logger: logger)
            try await configuration.history(of: source).delete(id: saved.id, logger: logger)
            log(DoctorCheck("history", .ok, "\(HistorySQL.table) installed and writable"))
        } catch {
            log(DoctorCheck("history", .failed, "\(error)"))
        }
        var columns: [String: Set<String>] = [:]
        for table in configuration.tables {
            do {
                let (names, detail) = try await doctorSourceTable(table, source: source, logger: logger)
                columns[table.name] = names
                log(DoctorCheck("table \(table.name)", .ok, detail))
            } catch {
                log(DoctorCheck("table \(table.name)", .failed, "\(error)"))
            }
        }
        await source.close()
        return columns
    }

    private func doctorSourceTable(_ table: TableConfiguration, source: any ReplicationSource, logger: Logger) async throws -> (Set<String>, String) {
        let columns = try await source.columns(of: table.sourceTable, logger: logger)
        guard !columns.isEmpty else {
            throw SourceError(.tableNotFound, "source table `\(table.sourceTable)` does not exist (or this user cannot see it)")
        }
        let names = Set(columns.map { $0.name.lowercased() })
        var detail = "source table \(table.sourceTable): \(columns.count) columns"
        if let field = table.replicationField {
            guard names.contains(field.lowercased()) else {
                throw SourceError(.columnMissing, "the replication field `\(field)` is not a column of `\(table.sourceTable)`; set `tables.\(table.name).replication_field`")
            }
            detail += ", replication field \(field)"
        }
        if table.strategy != .full {
            if let missing = (table.keyColumns ?? []).first(where: { !names.contains($0.lowercased()) }) {
                throw SourceError(.columnMissing, "the key column `\(missing)` is not a column of `\(table.sourceTable)`")
            }
            let keys = try await KeyColumns.configuredOrPrimary(table, source: source, logger: logger)
            guard !keys.isEmpty else {
                throw SourceError(.noKeyColumns, "`\(table.sourceTable)` has no primary key; set `tables.\(table.name).key_columns`")
            }
            try await KeyColumns.checkNotNullable(keys, table: table, source: source, logger: logger)
            detail += ", key (\(keys.joined(separator: ", ")))"
        }
        return (names, detail)
    }

    /// Puts a one-row probe file and its manifest under the prefix, reads it back and lists it.
    private func doctorStagePut(_ log: DoctorLog, logger: Logger) async -> DoctorProbe? {
        let storage = configuration.storage
        let folder = ReplicationKey.folder(prefix: storage.prefix, target: "rrr-doctor", key: UUID().uuidString.lowercased())
        let where_ = "s3://\(storage.bucket)/\(folder)/"
        let local = URL(fileURLWithPath: configuration.settings.localPath).appendingPathComponent("rrr-doctor-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: local) }
        do {
            let staging = try makeStaging()
            guard let s3 = staging as? S3StagingStore else { throw ConfigurationError(.invalidValue, setting: "s3", "not an S3 store") }
            let body = Data("42\n".utf8)
            try body.write(to: URL(fileURLWithPath: local))
            let manifest = try await staging.upload([ExportedFile(path: local, name: "probe.csv", recordCount: 1, byteCount: Int64(body.count))],
                                                    folder: folder, logger: logger)
            var read = try await s3.client.getObjectData(bucket: s3.bucket, key: folder + "/probe.csv", logger: logger)
            guard read.readBytes(length: read.readableBytes) == Array(body) else {
                throw S3ProbeError(message: "the object read back differs from the one written")
            }
            let listed = Set(try await s3.client.listObjects(bucket: s3.bucket, prefix: folder + "/", logger: logger).map(\.key))
            guard listed == [folder + "/probe.csv", folder + "/manifest"] else {
                throw S3ProbeError(message: "listing the prefix shows \(listed.sorted()), not the two objects written")
            }
            log(DoctorCheck("s3", .ok, "put, get and list under \(where_)"))
            return DoctorProbe(staging: staging, folder: folder, manifestURL: manifest)
        } catch {
            log(DoctorCheck("s3", .failed, "\(where_): \(error)"))
            log(DoctorCheck("copy", .skipped, "no probe file in S3"))
            return nil
        }
    }

    private func doctorStageDelete(_ log: DoctorLog, probe: DoctorProbe, logger: Logger) async {
        do {
            try await probe.staging.deleteFolder(probe.folder, logger: logger)
            if let s3 = probe.staging as? S3StagingStore,
               !(try await s3.client.listObjects(bucket: s3.bucket, prefix: probe.folder + "/", logger: logger)).isEmpty {
                throw S3ProbeError(message: "the probe objects are still listed after their deletion")
            }
            log(DoctorCheck("s3", .ok, "delete under s3://\(configuration.storage.bucket)/\(probe.folder)/"))
        } catch {
            log(DoctorCheck("s3", .failed, "delete under s3://\(configuration.storage.bucket)/\(probe.folder)/: \(error)"))
        }
    }

    private func doctorRedshift(_ log: DoctorLog, sourceColumns: [String: Set<String>], probe: DoctorProbe?, logger: Logger) async {
        let settings = configuration.redshift
        let place = "\(settings.host):\(settings.port)/\(settings.database) as \(settings.user)"
        do {
            try await warehouse.withSession(logger: logger) { session in
                let version = try await session.rows("SELECT CAST(version() AS VARCHAR)").first?.first ?? nil
                log(DoctorCheck("redshift", .ok, "\(place) reachable" + (version.map { " (\($0.prefix(60)))" } ?? "")))
                log(tlsCheck())
                do {
                    _ = try await warehouse.ledgerContains("rrr-doctor-probe", session: session)
                    log(DoctorCheck("ledger", .ok, "\(settings.schema).\(RedshiftLoadSQL.ledgerTable) installed"))
                } catch {
                    log(DoctorCheck("ledger", .failed, "\(settings.schema).\(RedshiftLoadSQL.ledgerTable) cannot be read (run `rrr install`): \(error)"))
                }
                for table in configuration.tables {
                    log(await targetCheck(table, sourceColumns: sourceColumns[table.name], session: session))
                }
                if let probe { log(await copyCheck(probe, session: session)) }
            }
        } catch {
            log(DoctorCheck("redshift", .failed, "\(error)"))
            if probe != nil { log(DoctorCheck("copy", .skipped, "Redshift is unreachable")) }
        }
    }

    /// TLS as `redshift.sslmode` has it (the session connected with it just before).
    private func tlsCheck() -> DoctorCheck {
        let host = configuration.redshift.host
        let local = ["127.0.0.1", "::1", "localhost"].contains(host)
        let mode = configuration.redshift.effectiveSSLMode
        switch mode {
        case .verifyFull: return DoctorCheck("tls", .ok, "sslmode verify-full: TLS, the certificate checked and naming \(host)")
        case .verifyCA: return DoctorCheck("tls", .ok, "sslmode verify-ca: TLS, the certificate checked (not the host name)")
        case .require: return DoctorCheck("tls", local ? .ok : .warning, "sslmode require: TLS, the certificate not checked" + (local ? "" : "; verify-full checks it"))
        case .prefer: return DoctorCheck("tls", local ? .ok : .warning, "sslmode prefer: TLS only if the server offers it" + (local ? " (loopback)" : "; set `redshift.sslmode: verify-full`"))
        case .disable: return DoctorCheck("tls", local ? .ok : .warning, "sslmode disable: plain TCP to \(host)" + (local ? " (loopback)" : "; set `redshift.sslmode: verify-full`"))
        }
    }

    private func targetCheck(_ table: TableConfiguration, sourceColumns: Set<String>?, session: RedshiftSession) async -> DoctorCheck {
        let area = "target \(table.name)"
        do {
            let target = try await warehouse.table(table.targetTable, session: session)
            try RedshiftWarehouse.checkLoadable(target)
            let name = "\(target.schema).\(target.name)"
            guard let sourceColumns else { return DoctorCheck(area, .ok, "\(name): \(target.columns.count) columns (source not checked)") }
            let missing = target.columns.map(\.name).filter { !sourceColumns.contains($0.lowercased()) }
            if !missing.isEmpty {
                return DoctorCheck(area, .failed, "\(name): column(s) \(missing.joined(separator: ", ")) are not in the source table `\(table.sourceTable)` (rrr exports exactly the Redshift columns)")
            }
            let targetNames = Set(target.columns.map { $0.name.lowercased() })
            let extra = sourceColumns.subtracting(targetNames).sorted()
            if !extra.isEmpty {
                return DoctorCheck(area, .warning, "\(name): \(target.columns.count) columns, all in the source; the source's \(extra.joined(separator: ", ")) are not replicated (Redshift lacks them)")
            }
            return DoctorCheck(area, .ok, "\(name): \(target.columns.count) columns, all in the source")
        } catch {
            return DoctorCheck(area, .failed, "\(error)")
        }
    }

    /// COPY of the probe file into a temporary table, with the credentials a load uses.
    private func copyCheck(_ probe: DoctorProbe, session: RedshiftSession) async -> DoctorCheck {
        let access: CopyAccess
        do { access = try await probe.staging.copyAccess(logger: session.logger) } catch {
            return DoctorCheck("copy", .failed, "no credentials for COPY: \(error)")
        }
        let credentials = access.credentials
        let table = "rrr_doctor_probe_\(UInt32.random(in: .min ... .max))"
        let sql = RedshiftLoadSQL(schema: configuration.redshift.schema, target: table, stage: table, columns: ["probe"])
        let copy = sql.copy(manifestURL: probe.manifestURL, format: .csv, nullMarker: CSVFormat.default.nullMarkerText, maxErrors: 0,
                            region: access.region, credentials: credentials, options: "")
        do {
            try await session.execute("CREATE TEMP TABLE \(sql.quotedStage) (probe INTEGER)")
            try await session.execute(copy.sql, logAs: copy.redacted)
            let sum = try await session.rows(PostgresQuery(unsafeSQL: "SELECT CAST(SUM(probe) AS VARCHAR) FROM \(sql.quotedStage)")).first?.first ?? nil
            try? await session.execute(sql.dropStage)
            guard sum?.trimmingCharacters(in: .whitespaces) == "42" else {
                return DoctorCheck("copy", .failed, "COPY loaded the probe file, but the table holds \(sum ?? "nothing") instead of 42")
            }
            let from = access.provider.map { "credentials from \($0)" } ?? "\(credentials)"
            return DoctorCheck("copy", .ok, "COPY loaded a probe file from S3 with \(from) (region \(access.region))")
        } catch {
            try? await session.execute(sql.dropStage)
            return DoctorCheck("copy", .failed, "COPY from \(probe.manifestURL) with \(credentials): \(error)")
        }
    }
}

/// The probe files `rrr doctor` put in S3.
struct DoctorProbe: Sendable {
    let staging: any StagingStore
    let folder: String
    let manifestURL: String
}

struct S3ProbeError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Collects the checks of one doctor run, passing each on as it ends. Used by one task only.
final class DoctorLog: @unchecked Sendable {
    private(set) var checks: [DoctorCheck] = []
    private let report: @Sendable (DoctorCheck) -> Void

    init(report: @escaping @Sendable (DoctorCheck) -> Void) { self.report = report }

    func callAsFunction(_ check: DoctorCheck) {
        checks.append(check)
        report(check)
    }
}
