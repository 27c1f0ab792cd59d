import Foundation
import NIOCore
import Testing

@testable import S3
import AWSAuth

/// ListObjectsV2 pagination and DeleteObjects batching against moto.
@Suite("S3 listing and batch delete on moto", .requiresS3, .timeLimit(.minutes(10)))
struct ListingAndDeleteTests {
    /// Writes `count` small objects under `prefix`, `concurrency` at a time; returns their keys.
    static func putObjects(_ s3: S3Client, bucket: String, prefix: String, count: Int, concurrency: Int = 16) async throws -> [String] {
        let keys = (0..<count).map { "\(prefix)\(String(format: "%05d", $0)).csv" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func startNext() {
                let key = keys[next]
                next += 1
                group.addTask { try await s3.putObject(bucket: bucket, key: key, body: ByteBuffer(string: key), logger: testLogger) }
            }
            while next < min(concurrency, count) { startNext() }
            while try await group.next() != nil {
                if next < count { startNext() }
            }
        }
        return keys
    }

    @Test("ListObjectsV2 follows continuation tokens through 2,500 keys")
    func list2500() async throws {
        let env = try S3TestEnvironment.required()
        let s3 = env.client()
        let prefix = S3TestEnvironment.uniquePrefix("list")
        let keys = try await Self.putObjects(s3, bucket: env.bucket, prefix: prefix, count: 2_500)

        let listed = try await s3.listObjects(bucket: env.bucket, prefix: prefix, logger: testLogger)
        #expect(listed.count == 2_500)
        #expect(listed.map(\.key) == keys.sorted())
        #expect(listed.allSatisfy { $0.size == Int64($0.key.utf8.count) && !$0.eTag.isEmpty && $0.lastModified != nil })

        // An odd page size: pages that do not divide the total must still join up exactly.
        let smallPages = try await s3.listObjects(bucket: env.bucket, prefix: prefix, pageSize: 333, logger: testLogger)
        #expect(smallPages.map(\.key) == keys.sorted())

        try await s3.deleteObjects(bucket: env.bucket, keys: keys, logger: testLogger)
    }

    @Test("DeleteObjects removes 1,234 keys in batches of 1,000, missing keys included")
    func deleteMoreThanABatch() async throws {
        let env = try S3TestEnvironment.required()
        let s3 = env.client()
        let prefix = S3TestEnvironment.uniquePrefix("delete")
        let keys = try await Self.putObjects(s3, bucket: env.bucket, prefix: prefix, count: 1_234)
        let keeper = prefix + "keep.csv"
        try await s3.putObject(bucket: env.bucket, key: keeper, body: ByteBuffer(string: "stay"), logger: testLogger)
        #expect(try await s3.listObjects(bucket: env.bucket, prefix: prefix, logger: testLogger).count == 1_235)

        try await s3.deleteObjects(bucket: env.bucket, keys: keys + [prefix + "never-existed.csv"], logger: testLogger)

        let left = try await s3.listObjects(bucket: env.bucket, prefix: prefix, logger: testLogger)
        #expect(left.map(\.key) == [keeper])
        try await s3.deleteObjects(bucket: env.bucket, keys: [keeper], logger: testLogger)
        #expect(try await s3.listObjects(bucket: env.bucket, prefix: prefix, logger: testLogger).isEmpty)
    }

    @Test("CreateBucket makes a usable bucket and is idempotent; DeleteBucket removes it")
    func bucketLifecycle() async throws {
        let env = try S3TestEnvironment.required()
        let s3 = env.client()
        let bucket = "rrr-bucket-\(UUID().uuidString.prefix(8).lowercased())"
        try await s3.createBucket(bucket, logger: testLogger)
        try await s3.createBucket(bucket, logger: testLogger)
        #expect(try await s3.listObjects(bucket: bucket, logger: testLogger).isEmpty)
        try await s3.deleteBucket(bucket, logger: testLogger)
        let error = await #expect(throws: S3Error.self) { try await s3.listObjects(bucket: bucket, logger: testLogger) }
        #expect(error?.code == .noSuchBucket)
    }
}
