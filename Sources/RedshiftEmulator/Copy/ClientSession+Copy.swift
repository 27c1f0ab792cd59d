import AsyncSupport
import Foundation
import Logging
import NIOCore

extension ClientSession {
    /// COPY from S3: resolves the files, checks every record by Redshift's rules, streams the good
    /// ones into `COPY ... FROM STDIN` on the client's own backend session (so the client's
    /// transaction owns them) and records rejected ones through a side connection.
    ///
    /// `pg_last_copy_id()` follows PG_LAST_COPY_ID: not updated by a failure before the load
    /// begins (files missing, access denied), updated by one on the data, and taken back by a
    /// ROLLBACK of the transaction a successful COPY ran in.
    func runCopy(_ command: CopyCommand) async throws -> StatementResult {
        let fault = context.faults.copyStarting(logger: logger)
        if case .fail(let number) = fault {
            throw PGError(code: "XX000", message: "fault injection: COPY number \(number) failed as configured")
        }
        try await context.faults.delayCopy()
        let columns = try await loadColumns(for: command)
        let store = try context.objectStore(for: command)
        let jsonMapping = try await command.jsonMapping(columns: columns, store: store, logger: logger)
        logger.info("COPY from S3", metadata: ["rrr_table": "\(command.table.sql)", "rrr_source": "\(command.source)",
                                               "rrr_authorization": "\(command.authorization)"])
        logger.debug("COPY statement", metadata: ["rrr_statement": "\(command.redactedSQL)"])
        return try await context.withSideConnection(logger: logger) { side in
            let queryID = Int(try await side.rows("SELECT nextval('rrr_emulator.query_id_seq')").first?.first??.description ?? "0") ?? 0
            var loader = CopyLoad(command: command, columns: columns, queryID: queryID, jsonMapping: jsonMapping)
            let files: [CopyFile]
            do {
                files = try await CopyFileResolver(command: command, store: store, logger: logger).files()
            } catch let error as PGError {
                throw error
            } catch {
                throw PGError.loadFailed(table: command.table.relation, detail: "\(error)")
            }
            try await startBackendCopy(command: command, columns: columns)
            // The load has begun: from here a failure updates the session's last COPY.
            func failed(_ error: any Error) async throws -> PGError {
                try await side.query((loader.errorsSQL(backendPID: backend.processID) ?? "") + loader.copyIDSQL(backendPID: backend.processID, loaded: false))
                return error as? PGError ?? PGError.loadFailed(table: command.table.relation, detail: "\(error)")
            }
            do {
                try await loadFiles(files, store: store, into: &loader, dropMidway: fault == .dropMidway)
            } catch let drop as InjectedConnectionDrop {
                throw drop
            } catch {
                try await abortBackendCopy(reason: "\(error)")
                throw try await failed(error)
            }
            if loader.reachedMaxErrors {
                try await abortBackendCopy(reason: "too many load errors")
                throw try await failed(PGError.loadFailed(table: command.table.relation, detail: loader.firstErrorDetail))
            }
            do {
                try await finishBackendCopy()
            } catch {
                throw try await failed(error)
            }
            if let errorsSQL = loader.errorsSQL(backendPID: backend.processID) { try await side.query(errorsSQL) }
            try await backend.query(loader.copyIDSQL(backendPID: backend.processID, loaded: true))
            var notices = [PGError(code: "00000", message: "Load into table '\(command.table.relation)' completed, \(loader.loadedRows) record(s) loaded successfully.", severity: "INFO")]
            if !loader.errors.isEmpty {
                // Fewer errors than MAXERROR: "it continues and returns an INFO message that states the number of rows that could not be loaded".
                notices.append(PGError(code: "00000", message: "Load into table '\(command.table.relation)' completed, \(loader.errors.count) record(s) could not be loaded.  Check 'stl_load_errors' system table for details.", severity: "INFO"))
            }
            return StatementResult(tag: "COPY \(loader.loadedRows)", notices: notices)
        }
    }

    /// Converts the files in parallel (up to ``parallelFiles`` at once, each a ``CopyFileConversion``
    /// task) and sends their rows as CopyData file after file, in order, until MAXERROR is reached.
    /// Memory: per file in progress, its decompressor and parser plus `2` pieces waiting.
    private func loadFiles(_ files: [CopyFile], store: any LoadObjectStore, into loader: inout CopyLoad, dropMidway: Bool) async throws {
        let template = loader, logger = logger
        let channels = files.map { _ in BoundedChannel<ConvertedRows>(capacity: 2) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            func start(_ index: Int) {
                guard index < files.count else { return }
                let conversion = CopyFileConversion(file: files[index], template: template, store: store, logger: logger)
                let channel = channels[index]
                group.addTask {
                    do { try await conversion.run(into: channel) } catch { channel.fail(error) }
                }
            }
            for index in 0..<min(Self.parallelFiles, files.count) { start(index) }
            defer { group.cancelAll() }
            for (index, channel) in channels.enumerated() {
                for try await piece in channel {
                    loader.absorb(piece)
                    if loader.reachedMaxErrors { return }
                    var text = piece.text
                    try await sendCopyData(&text)
                    if dropMidway { throw InjectedConnectionDrop(point: "in the middle of a COPY") }
                }
                start(index + Self.parallelFiles)
            }
            // Files without a row still drop the connection as asked.
            if dropMidway { throw InjectedConnectionDrop(point: "in the middle of a COPY") }
        }
    }

    /// Files converted at once: the cores, at most 4 (the session executor's threads).
    static let parallelFiles = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))

    private func sendCopyData(_ output: inout [UInt8]) async throws {
        guard !output.isEmpty else { return }
        let bytes = output
        try await backend.wire.send("d") { $0.writeBytes(bytes) }
        output.removeAll(keepingCapacity: true)
    }
}
