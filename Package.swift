// swift-tools-version:6.2
import PackageDescription

// The pipeline, one module per stage:
// configuration -> source -> export files -> stage (S3) -> warehouse (Redshift),
// with the replication history around it. See ARCHITECTURE.md.
let package = Package(
    name: "rrr",
    // The client actors close their handles in an `isolated deinit` (Swift 6.2 runtime: macOS 26);
    // Mutex and Atomic need macOS 15.
    platforms: [.macOS(.v26)],
    products: [
        .library(name: "RedshiftReplicator", targets: ["RedshiftReplicator"]),
        .library(name: "RedshiftEmulator", targets: ["RedshiftEmulator"]),
        .executable(name: "rrr", targets: ["rrr"]),
        .executable(name: "redshift-emulator", targets: ["redshift-emulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C libraries from Debian, each wrapped for exactly one Swift module.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLibpq", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMariaDB", pkgConfig: "libmariadb", providers: [.apt(["libmariadb-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // The two concurrency primitives every stage shares: one bounded channel between tasks,
        // one thread per blocking C client (an actor's executor).
        .target(name: "AsyncSupport"),
        .testTarget(name: "AsyncSupportTests", dependencies: ["AsyncSupport"]),

        // Export files: Redshift's CSV dialect, compression, slicing and manifests.
        .target(name: "RedshiftCSV"),
        .target(name: "Compression", dependencies: ["CZlib", "CZstd"]),
        .target(name: "ExportFiles", dependencies: [
            "AsyncSupport", "RedshiftCSV", "Compression",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // AWS authentication: SigV4, the credential provider chain with renewal, and the few AWS
        // calls behind it (STS, Secrets Manager, Redshift and Redshift Serverless credentials).
        .target(name: "AWSAuth", dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),

        // Stage: an S3 client (multipart, listing, batch delete), signed through AWSAuth.
        .target(name: "S3", dependencies: [
            "AWSAuth",
            "AsyncSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),

        // Sources: blocking C clients on their own threads, streaming rows as Redshift CSV.
        .target(name: "SourceSupport", dependencies: ["RedshiftCSV"]),
        .target(name: "PostgresClient", dependencies: [
            "CLibpq", "AsyncSupport", "SourceSupport", "RedshiftCSV", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "MySQLClient", dependencies: [
            "CMariaDB", "AsyncSupport", "SourceSupport", "RedshiftCSV", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SQLiteClient", dependencies: [
            "CSQLite", "AsyncSupport", "SourceSupport", "RedshiftCSV", .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "source-bench", dependencies: [
            "AsyncSupport", "MySQLClient", "SQLiteClient", "SourceSupport", "RedshiftCSV",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/source-bench"),

        // Engine: configuration, sources, warehouse, history, replicator API.
        .target(name: "RedshiftReplicator", dependencies: [
            "AsyncSupport", "RedshiftCSV", "ExportFiles", "AWSAuth", "S3", "PostgresClient", "MySQLClient", "SQLiteClient", "SourceSupport",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // `rrr serve`: tables on a schedule under swift-service-lifecycle, Prometheus metrics and
        // a health check over a small NIO HTTP/1.1 server.
        .target(name: "ReplicationService", dependencies: [
            "RedshiftReplicator", "AsyncSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // glibc's mmap threshold, which Swift cannot set (mallopt is in <malloc.h>, outside Glibc's module).
        .target(name: "CMallocTuning"),
        .executableTarget(name: "rrr", dependencies: [
            "RedshiftReplicator", "ReplicationService", "AsyncSupport", "CMallocTuning",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // A local Redshift: PostgreSQL wire protocol in front of a real PostgreSQL.
        .target(name: "RedshiftEmulator", dependencies: [
            "RedshiftCSV", "Compression", "S3", "AsyncSupport",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["README.md"]),
        .executableTarget(name: "redshift-emulator", dependencies: [
            "RedshiftEmulator",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Release-build benchmark of the export pipeline; scripts/bench-export runs it.
        .executableTarget(name: "rrr-bench", dependencies: [
            "RedshiftCSV", "Compression", "ExportFiles",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/rrr-bench"),

        .testTarget(name: "RedshiftCSVTests", dependencies: ["RedshiftCSV"]),
        .testTarget(name: "ExportFilesTests", dependencies: ["ExportFiles", "Compression", "RedshiftCSV"]),
        // Local stand-ins for the AWS endpoints moto lacks (IMDSv2, container credentials, web
        // identity STS, Redshift credential calls): test support, in no product.
        .target(name: "AWSStandIns", dependencies: [
            "AWSAuth",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], path: "Tests/AWSStandIns"),
        .testTarget(name: "AWSAuthTests", dependencies: [
            "AWSAuth", "AWSStandIns",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "S3Tests", dependencies: [
            "S3", "AWSAuth", "AWSStandIns",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "InMemoryLogging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "MySQLClientTests", dependencies: [
            "MySQLClient", "RedshiftCSV", .product(name: "Logging", package: "swift-log"),
            .product(name: "InMemoryLogging", package: "swift-log"),
        ]),
        .testTarget(name: "PostgresClientTests", dependencies: [
            "PostgresClient", "SourceSupport", "RedshiftCSV", "AsyncSupport", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SQLiteClientTests", dependencies: [
            "SQLiteClient", "RedshiftCSV", .product(name: "Logging", package: "swift-log"),
            .product(name: "InMemoryLogging", package: "swift-log"),
        ]),
        // The emulator's conformance suites and the Redshift behaviours; the contract run (opt-in,
        // RRR_CONTRACT_*) checks the same behaviours and an rrr replication on a real cluster.
        .testTarget(name: "RedshiftEmulatorTests", dependencies: [
            "RedshiftEmulator", "S3", "RedshiftCSV", "AWSAuth", "RedshiftReplicator", "SQLiteClient",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "RedshiftReplicatorTests", dependencies: [
            "RedshiftReplicator", "ReplicationService", "S3", "AWSAuth", "AWSStandIns", "RedshiftEmulator", "PostgresClient", "MySQLClient", "SQLiteClient", "AsyncSupport", "CMallocTuning", "SourceSupport",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "InMemoryLogging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
        ], exclude: ["Integration/stall-proxy.py"]),
    ],
    swiftLanguageModes: [.v6]
)
