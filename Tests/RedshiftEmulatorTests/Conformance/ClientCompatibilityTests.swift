import Crypto
import Foundation
import NIOCore
import NIOPosix
import PostgresNIO
import RedshiftEmulator
import Testing

/// What other Redshift clients send (redshift_connector, dbt-redshift, dlt, sling, psql) works as on Redshift.
extension ConformanceSuites {
@Suite("Client compatibility")
struct ClientCompatibilityTests {
    @Test func redshiftDriverStartupParametersAreAcceptedAndAnswered() async throws {
        try await EmulatorHarness.with { emulator in
            // What redshift_connector sends; PostgreSQL alone refuses these (FATAL 42704).
            let greeting = try await RawClient.startup(port: emulator.port, password: emulator.password, parameters: [
                ("user", "rrr"), ("database", "dev"), ("application_name", "conformance"),
                ("client_protocol_version", "2"), ("driver_version", "Redshift Python Driver 2.1.17"),
                ("os_version", "Linux"), ("driver_discovery_version", "1"),
            ])
            #expect(greeting.error == nil, "\(greeting.error ?? "")")
            #expect(greeting.parameters["server_protocol_version"] == "0")
            #expect(greeting.parameters["server_version"] == "8.0.2")
            #expect(greeting.parameters["application_name"] == "conformance")
            // Without the driver's announcement there is no protocol answer.
            let plain = try await RawClient.startup(port: emulator.port, password: emulator.password, parameters: [("user", "rrr"), ("database", "dev")])
            #expect(plain.parameters["server_protocol_version"] == nil)
        }
    }

    @Test func versionAndSchemasLookLikeRedshift() async throws {
        try await EmulatorHarness.with { emulator in
            let schema = TestServices.uniqueName("compat_schema")
            let result = try await emulator.psql(
                "SELECT version()",
                "CREATE SCHEMA \(schema)",
                "SELECT database_name = current_database(), schema_type FROM svv_redshift_schemas WHERE schema_name = '\(schema)'",
                "SELECT count(*) FROM svv_redshift_schemas WHERE schema_name = 'rrr_emulator'",
                "DROP SCHEMA \(schema)")
            #expect(result.lines == [
                "PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat 3.4.2-6.fc3), Redshift 1.0.0",
                "t|local", "0",
            ], "\(result.stderr)")
        }
    }

    @Test func psqlDescribesTablesAndHidesTheEmulatorSchema() async throws {
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("described")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (id integer NOT NULL, name varchar(20)) SORTKEY (id)",
                "\\d \(table)",
                "\\dt",
                "\\dn",
                "DROP TABLE \(table)")
            #expect(!result.stderr.contains("ERROR"), "\(result.stderr)")
            #expect(result.stdout.contains("id|integer||not null|"), "\(result.stdout)")
            #expect(result.stdout.contains("name|character varying(20)|||"), "\(result.stdout)")
            #expect(result.stdout.contains("public|\(table)|table|rrr"), "\(result.stdout)")
            #expect(!result.stdout.contains("rrr_emulator"), "\(result.stdout)")
        }
    }

    @Test func resetAllKeepsTheCatalogOnThePath() async throws {
        try await EmulatorHarness.with { emulator in
            // psycopg2's connection.reset() (dlt calls it) sends RESET ALL.
            let result = try await emulator.psql(
                "SET search_path TO public",
                "RESET ALL",
                "SELECT count(*) >= 0 FROM stl_load_errors",
                "RESET search_path",
                "SELECT version() LIKE '%Redshift%'")
            #expect(result.lines == ["t", "t"], "\(result.stderr)")
        }
    }

    @Test func droppedTablesLeaveNoKeysForTheirSuccessors() async throws {
        try await EmulatorHarness.with { emulator in
            let table = TestServices.uniqueName("reused")
            let schema = TestServices.uniqueName("dropped_schema")
            let result = try await emulator.psql(
                "CREATE TABLE \(table) (id integer ENCODE az64, name varchar(20)) DISTKEY(id) SORTKEY(id)",
                "SELECT \"column\", encoding, distkey, sortkey FROM pg_table_def WHERE tablename = '\(table)' ORDER BY 1",
                "DROP TABLE \(table)",
                "CREATE TABLE \(table) (id integer, name varchar(20))",
                "SELECT \"column\", encoding, distkey, sortkey FROM pg_table_def WHERE tablename = '\(table)' ORDER BY 1",
                "CREATE SCHEMA \(schema)",
                "CREATE TABLE \(schema).t (id integer) SORTKEY(id)",
                "SELECT CAST(CAST('\(schema).t' AS regclass) AS oid)",
                "DROP SCHEMA \(schema) CASCADE",
                "DROP TABLE \(table)")
            #expect(result.lines.count == 5, "\(result.stderr)")
            #expect(Array(result.lines.prefix(4)) == [
                "id|az64|t|1", "name|none|f|0",
                "id|none|f|0", "name|none|f|0",
            ], "\(result.stderr)")
            // The dropped schema's table left nothing behind in the emulator catalog.
            let oid = try #require(result.lines.last.flatMap { Int($0) })
            let leftovers = try await Warehouse.query("SELECT count(*)::text FROM rrr_emulator.column_attributes WHERE relid = \(oid)")
            #expect(leftovers == [["0"]])
        }
    }

    @Test func flushBeforeSyncKeepsTheTransactionStatus() async throws {
        try await EmulatorHarness.with { emulator in
            // redshift_connector and pgjdbc send Bind/Execute/Flush, then Sync: the Sync must reach
            // PostgreSQL, and ReadyForQuery must say "in a transaction" after BEGIN.
            let status = try await RawClient.extendedStatuses(port: emulator.port, password: emulator.password,
                                                              statements: ["BEGIN", "SELECT 1", "ROLLBACK"])
            #expect(status == ["T", "T", "I"])
        }
    }
}
}

/// A minimal protocol-v3 client for what PostgresNIO does not let a test control: arbitrary
/// startup parameters, and the exact extended-protocol message sequence.
enum RawClient {
    struct Greeting {
        var parameters: [String: String] = [:]
        var error: String?
    }

    static func startup(port: Int, password: String, parameters: [(String, String)]) async throws -> Greeting {
        try await withConnection(port: port) { socket in
            try await login(socket, password: password, parameters: parameters)
        }
    }

    /// Runs each statement as Parse/Bind/Execute/Flush then Sync; returns each ReadyForQuery status.
    static func extendedStatuses(port: Int, password: String, statements: [String]) async throws -> [String] {
        try await withConnection(port: port) { socket in
            let greeting = try await login(socket, password: password, parameters: [("user", "rrr"), ("database", "dev")])
            if let error = greeting.error { throw RawClientError(message: error) }
            var statuses: [String] = []
            for sql in statements {
                var parse = ByteBuffer(); parse.writeString(""); parse.writeInteger(UInt8(0)); parse.writeString(sql); parse.writeInteger(UInt8(0)); parse.writeInteger(Int16(0))
                var bind = ByteBuffer(); bind.writeBytes([0, 0]); bind.writeInteger(Int16(0)); bind.writeInteger(Int16(0)); bind.writeInteger(Int16(0))
                var execute = ByteBuffer(); execute.writeInteger(UInt8(0)); execute.writeInteger(Int32(0))
                try await socket.send("P", parse)
                try await socket.send("B", bind)
                try await socket.send("E", execute)
                try await socket.send("H", ByteBuffer())
                try await socket.send("S", ByteBuffer())
                while true {
                    let (kind, body) = try await socket.receive()
                    if kind == "E" { throw RawClientError(message: "statement failed: \(sql)") }
                    if kind == "Z" { statuses.append(String(UnicodeScalar(body.getInteger(at: body.readerIndex, as: UInt8.self) ?? 0))); break }
                }
            }
            return statuses
        }
    }

    private static func login(_ socket: Socket, password: String, parameters: [(String, String)]) async throws -> Greeting {
        var startup = ByteBuffer()
        startup.writeInteger(Int32(196_608))
        for (name, value) in parameters { startup.writeString(name); startup.writeInteger(UInt8(0)); startup.writeString(value); startup.writeInteger(UInt8(0)) }
        startup.writeInteger(UInt8(0))
        try await socket.sendStartup(startup)
        var greeting = Greeting()
        while true {
            var (kind, body) = try await socket.receive()
            switch kind {
            case "R":
                let code = body.readInteger(as: Int32.self) ?? -1
                if code == 5, let salt = body.readBytes(length: 4) {
                    var message = ByteBuffer()
                    message.writeString(TestMD5.response(user: "rrr", password: password, salt: salt)); message.writeInteger(UInt8(0))
                    try await socket.send("p", message)
                }
            case "S":
                let name = body.readNullTerminatedString() ?? "", value = body.readNullTerminatedString() ?? ""
                greeting.parameters[name] = value
            case "E":
                greeting.error = String(buffer: body)
                return greeting
            case "Z":
                return greeting
            default:
                continue
            }
        }
    }

    private static func withConnection<T: Sendable>(port: Int, _ body: (Socket) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            let socket = Socket(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(socket)
        }
    }

    final class Socket {
        var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var buffer = ByteBuffer()

        init(inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
            self.inbound = inbound
            self.outbound = outbound
        }

        func sendStartup(_ body: ByteBuffer) async throws {
            var message = ByteBuffer()
            message.writeInteger(Int32(body.readableBytes + 4))
            var body = body
            message.writeBuffer(&body)
            try await outbound.write(message)
        }

        func send(_ kind: Character, _ body: ByteBuffer) async throws {
            var message = ByteBuffer()
            message.writeInteger(kind.asciiValue!)
            message.writeInteger(Int32(body.readableBytes + 4))
            var body = body
            message.writeBuffer(&body)
            try await outbound.write(message)
        }

        func receive() async throws -> (Character, ByteBuffer) {
            while true {
                if buffer.readableBytes >= 5, let length = buffer.getInteger(at: buffer.readerIndex + 1, as: Int32.self),
                   buffer.readableBytes >= Int(length) + 1 {
                    let kind = Character(UnicodeScalar(buffer.readInteger(as: UInt8.self)!))
                    _ = buffer.readInteger(as: Int32.self)
                    return (kind, buffer.readSlice(length: Int(length) - 4)!)
                }
                guard var chunk = try await inbound.next() else { throw RawClientError(message: "connection closed") }
                buffer.writeBuffer(&chunk)
            }
        }
    }
}

struct RawClientError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// PostgreSQL's MD5 password response, computed independently of the emulator's code.
enum TestMD5 {
    static func response(user: String, password: String, salt: [UInt8]) -> String {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
        let inner = hex(Array(Insecure.MD5.hash(data: Array((password + user).utf8))))
        return "md5" + hex(Array(Insecure.MD5.hash(data: Array(inner.utf8) + salt)))
    }
}
