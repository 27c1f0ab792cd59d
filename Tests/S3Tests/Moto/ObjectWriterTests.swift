import Foundation
import NIOCore
import Testing

@testable import S3
import AWSAuth

/// Objects streamed with ``S3ObjectWriter`` against moto (which enforces S3's 5 MiB part minimum:
/// CompleteMultipartUpload with 1 MiB parts fails with EntityTooSmall).
@Suite("S3 streamed object writer on moto", .requiresS3, .timeLimit(.minutes(5)))
struct ObjectWriterTests {
    private func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    @Test("bytes appended in odd chunks become 5 MiB parts plus a last short one, read back whole; a small object is one PutObject")
    func partsAndSmallObjects() async throws {
        let env = try S3TestEnvironment.required()
        let s3 = env.client { _ in }
        let prefix = S3TestEnvironment.uniquePrefix("writer")
        let data = bytes(12 * 1024 * 1024 + 777, seed: 3)
        let writer = S3ObjectWriter(client: s3, bucket: env.bucket, key: prefix + "big", logger: testLogger)
        var offset = 0, chunk = 1
        while offset < data.count {
            let end = min(data.count, offset + chunk * 97_003 % 900_000 + 1)
            try await writer.write(Array(data[offset..<end]))
            offset = end
            chunk += 1
        }
        let result = try await writer.finish()
        #expect(result.partCount == 3)
        #expect(result.size == Int64(data.count))
        #expect(Array(buffer: try await s3.getObjectData(bucket: env.bucket, key: prefix + "big", logger: testLogger)) == data)

        let small = S3ObjectWriter(client: s3, bucket: env.bucket, key: prefix + "small", logger: testLogger)
        try await small.write(Array("1,a\n".utf8))
        #expect(try await small.finish().partCount == 0)
        #expect(try await s3.incompleteMultipartUploadKeys(bucket: env.bucket, prefix: prefix, logger: testLogger).isEmpty)
        try await s3.deleteObjects(bucket: env.bucket, keys: [prefix + "big", prefix + "small"], logger: testLogger)
    }

    @Test("an aborted writer leaves no object and no incomplete upload; abortMultipartUploads clears what a killed one left")
    func abortLeavesNothing() async throws {
        let env = try S3TestEnvironment.required()
        let s3 = env.client { _ in }
        let prefix = S3TestEnvironment.uniquePrefix("writer-abort")
        let writer = S3ObjectWriter(client: s3, bucket: env.bucket, key: prefix + "aborted", logger: testLogger)
        try await writer.write(bytes(11 * 1024 * 1024, seed: 5))
        #expect(try await s3.incompleteMultipartUploadKeys(bucket: env.bucket, prefix: prefix, logger: testLogger) == [prefix + "aborted"])
        await writer.abort()
        #expect(try await s3.incompleteMultipartUploadKeys(bucket: env.bucket, prefix: prefix, logger: testLogger).isEmpty)
        #expect(try await s3.listObjects(bucket: env.bucket, prefix: prefix, logger: testLogger).isEmpty)

        // A writer that is never finished nor aborted (its process killed) leaves an open upload.
        let orphan = S3ObjectWriter(client: s3, bucket: env.bucket, key: prefix + "orphan", logger: testLogger)
        try await orphan.write(bytes(6 * 1024 * 1024, seed: 6))
        #expect(try await s3.abortMultipartUploads(bucket: env.bucket, prefix: prefix, logger: testLogger) == 1)
        #expect(try await s3.incompleteMultipartUploadKeys(bucket: env.bucket, prefix: prefix, logger: testLogger).isEmpty)
    }
}
