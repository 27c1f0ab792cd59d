import ArgumentParser
import Foundation
import Logging
import RedshiftEmulator

/// `redshift-emulator`: a local Redshift on PostgreSQL + S3. Every flag also reads an
/// environment variable (RRR_EMULATOR_<FLAG>), which is where secrets belong.
@main
struct RedshiftEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redshift-emulator",
        abstract: "A local Amazon Redshift: PostgreSQL wire protocol in front of PostgreSQL, COPY from S3.")

    @Option(help: "host:port to listen on (env RRR_EMULATOR_LISTEN).")
    var listen: String = env("LISTEN") ?? "127.0.0.1:5439"

    @Option(help: "Backing database URL postgres://user:password@host:port/db (env RRR_EMULATOR_POSTGRES_URL).")
    var postgres: String?

    @Option(help: "S3 endpoint URL COPY reads from (env RRR_EMULATOR_S3_ENDPOINT).")
    var s3Endpoint: String?

    @Option(help: "Default S3 region (env RRR_EMULATOR_S3_REGION).")
    var s3Region: String = env("S3_REGION") ?? "us-east-1"

    @Option(help: "User clients log in as (env RRR_EMULATOR_USER).")
    var user: String = env("USER") ?? "rrr"

    @Option(help: "Password clients must give; prefer the env RRR_EMULATOR_PASSWORD.")
    var password: String?

    @Option(help: "Client password method: md5 or cleartext (env RRR_EMULATOR_AUTH).")
    var auth: String = env("AUTH") ?? "md5"

    @Option(help: "Access key used for IAM_ROLE authorization (env RRR_EMULATOR_IAM_ACCESS_KEY_ID).")
    var iamAccessKeyId: String?

    @Option(help: "Secret key used for IAM_ROLE authorization; prefer the env RRR_EMULATOR_IAM_SECRET_ACCESS_KEY.")
    var iamSecretAccessKey: String?

    @Option(help: "PEM certificate (chain) to serve TLS with, as Redshift does (env RRR_EMULATOR_TLS_CERT); needs --tls-key.")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert (env RRR_EMULATOR_TLS_KEY).")
    var tlsKey: String?

    @Option(help: "Fault: fail the Nth COPY from S3 (env RRR_EMULATOR_FAIL_COPY).")
    var failCopy: Int?

    @Option(help: "Fault: drop the connection in the middle of the Nth COPY (env RRR_EMULATOR_DROP_DURING_COPY).")
    var dropDuringCopy: Int?

    @Option(help: "Fault: drop the connection instead of the Nth COMMIT (env RRR_EMULATOR_DROP_AT_COMMIT).")
    var dropAtCommit: Int?

    @Option(help: "Fault: fail the Nth COMMIT with Redshift's serializable isolation violation, ERROR 1023 (env RRR_EMULATOR_SERIALIZABLE_VIOLATION_AT_COMMIT).")
    var serializableViolationAtCommit: Int?

    @Option(help: "Test-only fault: the share (0...1) of COPYs from S3 that fail at random (env RRR_EMULATOR_FAULT_COPY_RATE).")
    var faultCopyRate: Double = env("FAULT_COPY_RATE").flatMap(Double.init) ?? 0

    @Option(help: "Test-only fault: the share of COPYs whose connection drops midway (env RRR_EMULATOR_FAULT_COPY_DROP_RATE).")
    var faultCopyDropRate: Double = env("FAULT_COPY_DROP_RATE").flatMap(Double.init) ?? 0

    @Option(help: "Test-only fault: the share of COMMITs whose connection drops instead (env RRR_EMULATOR_FAULT_COMMIT_DROP_RATE).")
    var faultCommitDropRate: Double = env("FAULT_COMMIT_DROP_RATE").flatMap(Double.init) ?? 0

    @Option(help: "Test-only fault: the share of COMMITs failing with a serializable isolation violation (env RRR_EMULATOR_FAULT_SERIALIZABLE_RATE).")
    var faultSerializableRate: Double = env("FAULT_SERIALIZABLE_RATE").flatMap(Double.init) ?? 0

    @Option(help: "Seed of the random faults (env RRR_EMULATOR_FAULT_SEED).")
    var faultSeed: UInt64 = env("FAULT_SEED").flatMap(UInt64.init) ?? 0

    @Flag(help: "Behave as Redshift Serverless: STL tables are refused, SYS views answer (env RRR_EMULATOR_SERVERLESS=1).")
    var serverless = false

    @Flag(help: "VARCHAR = and <> ignore trailing blanks as on Redshift; slows IN lists on VARCHAR (env RRR_EMULATOR_VARCHAR_IGNORES_TRAILING_BLANKS=1).")
    var varcharIgnoresTrailingBlanks = false

    @Option(help: "Fault: delay every statement by this many milliseconds (env RRR_EMULATOR_STATEMENT_DELAY_MS).")
    var statementDelayMs: Int = env("STATEMENT_DELAY_MS").flatMap(Int.init) ?? 0

    @Option(help: "The cluster's slice count that stv_slices lists, two per node (env RRR_EMULATOR_SLICES).")
    var slices: Int = env("SLICES").flatMap(Int.init) ?? 2

    @Option(help: "Log level: trace, debug, info, notice, warning, error (env RRR_EMULATOR_LOG_LEVEL).")
    var logLevel: String = env("LOG_LEVEL") ?? "info"

    func run() async throws {
        let postgres = postgres ?? env("POSTGRES_URL")
        let password = password ?? env("PASSWORD")
        let s3Endpoint = s3Endpoint ?? env("S3_ENDPOINT")
        let iamAccessKeyId = iamAccessKeyId ?? env("IAM_ACCESS_KEY_ID")
        let iamSecretAccessKey = iamSecretAccessKey ?? env("IAM_SECRET_ACCESS_KEY")
        let failCopy = failCopy ?? env("FAIL_COPY").flatMap(Int.init)
        let dropDuringCopy = dropDuringCopy ?? env("DROP_DURING_COPY").flatMap(Int.init)
        let dropAtCommit = dropAtCommit ?? env("DROP_AT_COMMIT").flatMap(Int.init)
        let serializableViolationAtCommit = serializableViolationAtCommit ?? env("SERIALIZABLE_VIOLATION_AT_COMMIT").flatMap(Int.init)
        let serverless = serverless || env("SERVERLESS") == "1"
        let varcharIgnoresTrailingBlanks = varcharIgnoresTrailingBlanks || env("VARCHAR_IGNORES_TRAILING_BLANKS") == "1"
        for (name, rate) in [("--fault-copy-rate", faultCopyRate), ("--fault-copy-drop-rate", faultCopyDropRate),
                             ("--fault-commit-drop-rate", faultCommitDropRate), ("--fault-serializable-rate", faultSerializableRate)]
        where !(0...1).contains(rate) {
            throw ValidationError("\(name) must be between 0 and 1")
        }
        guard faultCopyRate + faultCopyDropRate <= 1, faultCommitDropRate + faultSerializableRate <= 1 else {
            throw ValidationError("the COPY fault rates and the COMMIT fault rates must each add up to at most 1")
        }
        guard slices >= 1 else { throw ValidationError("--slices must be at least 1") }
        guard let postgres else { throw ValidationError("--postgres (or RRR_EMULATOR_POSTGRES_URL) is required") }
        guard let password else { throw ValidationError("--password (or RRR_EMULATOR_PASSWORD) is required") }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            throw ValidationError("--listen must be host:port")
        }
        guard let method = ClientAuthenticationMethod(rawValue: auth) else { throw ValidationError("--auth must be md5 or cleartext") }
        let tlsCert = tlsCert ?? env("TLS_CERT"), tlsKey = tlsKey ?? env("TLS_KEY")
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        var faults = FaultInjection(failCopyNumber: failCopy, dropConnectionDuringCopyNumber: dropDuringCopy,
                                    dropConnectionAtCommitNumber: dropAtCommit, statementDelayMilliseconds: statementDelayMs,
                                    serializableViolationAtCommitNumber: serializableViolationAtCommit)
        faults.copyFailureRate = faultCopyRate
        faults.copyDropRate = faultCopyDropRate
        faults.commitDropRate = faultCommitDropRate
        faults.serializableViolationRate = faultSerializableRate
        faults.seed = faultSeed
        let configuration = RedshiftEmulatorConfiguration(
            host: String(listen[..<colon]), port: port, backend: try PostgresTarget(url: postgres),
            user: user, password: password, authenticationMethod: method,
            s3Endpoint: s3Endpoint, s3Region: s3Region,
            iamAccessKeyID: iamAccessKeyId, iamSecretAccessKey: iamSecretAccessKey,
            faults: faults,
            serverless: serverless, varcharIgnoresTrailingBlanks: varcharIgnoresTrailingBlanks,
            tls: tlsCert.flatMap { cert in tlsKey.map { .init(certificateChainPath: cert, privateKeyPath: $0) } },
            sliceCount: slices)
        var logger = Logger(label: "redshift-emulator")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let server = try await RedshiftEmulatorServer.bind(configuration: configuration, logger: logger)
        try await server.run()
    }
}

private func env(_ name: String) -> String? {
    ProcessInfo.processInfo.environment["RRR_EMULATOR_" + name]
}


