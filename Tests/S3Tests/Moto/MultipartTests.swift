import Crypto
import Foundation
import NIOCore
import Testing

@testable import S3
import AWSAuth

/// Multipart uploads from files against moto.
@Suite("S3 multipart uploads on moto", .requiresS3, .timeLimit(.minutes(10)))
struct MultipartTests {
    @Test("a 40 MiB file goes up in parts and reads back byte for byte")
    func fortyMiB() async throws {
        let env = try S3TestEnvironment.required()
        let s3 = env.client { $0.multipart = .init(partSize: 8 * 1024 * 1024, threshold: 16 * 1024 * 1024, concurrency: 3) }
        let file = try TemporaryFile(size: 40 * 1024 * 1024 + 12_345, seed: 40)
        defer { file.remove() }
        let key = S3TestEnvironment.uniquePrefix("multipart") + "big file.bin"

        let result = try await s3.uploadFile(bucket: env.bucket, key: key, path: file.path, logger: testLogger)
        #expect(result.partCount == 6)
        #expect(result.size == Int64(file.size))
        #expect(result.eTag.hasSuffix("-6"))

        let stream = try await s3.getObject(bucket: env.bucket, key: key, logger: testLogger)
        #expect(stream.info.contentLength == Int64(file.size))
        var hash = SHA256()
        var received = 0
        for try await chunk in stream {
            chunk.withUnsafeReadableBytes { hash.update(bufferPointer: $0) }
            received += chunk.readableBytes
        }
        #expect(received == file.size)
        #expect(Array(hash.finalize()) == file.sha256)
        #expect(try await s3.listMultipartUploads(bucket: env.bucket, prefix: key, logger: testLogger).isEmpty)
        try await s3.deleteObjects(bucket: env.bucket, keys: [key], logger: testLogger)
    }

    @Test("a file below the threshold is sent with one PutObject; SSE applies to multipart too")
    func thresholdAndEncryption() async throws {
        let env = try S3TestEnvironment.required()
        let s3 = env.client {
            $0.multipart = .init(partSize: 5 * 1024 * 1024, threshold: 6 * 1024 * 1024)
            $0.serverSideEncryption = .aes256
        }
        let prefix = S3TestEnvironment.uniquePrefix("threshold")
        let small = try TemporaryFile(size: 6 * 1024 * 1024 - 1, seed: 1)
        let large = try TemporaryFile(size: 6 * 1024 * 1024, seed: 2)
        defer { small.remove(); large.remove() }

        let single = try await s3.uploadFile(bucket: env.bucket, key: prefix + "small", path: small.path, logger: testLogger)
        let parts = try await s3.uploadFile(bucket: env.bucket, key: prefix + "large", path: large.path, logger: testLogger)
        #expect(single.partCount == 0)
        #expect(parts.partCount == 2)
        for (key, file) in [(prefix + "small", small), (prefix + "large", large)] {
            let info = try await s3.headObject(bucket: env.bucket, key: key, logger: testLogger)
            #expect(info.contentLength == Int64(file.size))
            #expect(info.serverSideEncryption == "AES256")
            let data = try await s3.getObjectData(bucket: env.bucket, key: key, logger: testLogger)
            #expect(data.withUnsafeReadableBytes { Array(SHA256.hash(data: $0)) } == file.sha256)
        }
        try await s3.deleteObjects(bucket: env.bucket, keys: [prefix + "small", prefix + "large"], logger: testLogger)
    }

    @Test("cancelling an upload aborts it: no multipart upload or object is left behind")
    func cancellationAborts() async throws {
        let env = try S3TestEnvironment.required()
        let s3 = env.client { $0.multipart = .init(partSize: 5 * 1024 * 1024, threshold: 5 * 1024 * 1024, concurrency: 1) }
        let file = try TemporaryFile(size: 120 * 1024 * 1024, seed: 3)
        defer { file.remove() }
        let key = S3TestEnvironment.uniquePrefix("cancel") + "abandoned.bin"

        let upload = Task { try await s3.uploadFile(bucket: env.bucket, key: key, path: file.path, logger: testLogger) }
        // Cancel once the upload exists in the bucket, i.e. with parts on their way.
        var seen = false
        for _ in 0..<500 where !seen {
            seen = try await !s3.listMultipartUploads(bucket: env.bucket, prefix: key, logger: testLogger).isEmpty
            if !seen { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(seen, "the multipart upload never appeared")
        upload.cancel()
        let outcome = await upload.result
        #expect(throws: (any Error).self) { try outcome.get() }
        #expect(try await s3.listMultipartUploads(bucket: env.bucket, prefix: key, logger: testLogger).isEmpty)
        #expect(try await s3.listObjects(bucket: env.bucket, prefix: key, logger: testLogger).isEmpty)
    }

    @Test("part sizes respect S3's minimum and its 10,000-part limit")
    func partSizes() {
        #expect(S3Client.partSize(fileSize: 100, configured: 1) == 5 * 1024 * 1024)
        #expect(S3Client.partSize(fileSize: 40 << 20, configured: 8 << 20) == 8 << 20)
        let huge: Int64 = 200 * 1024 * 1024 * 1024  // 200 GiB needs ~21 MB parts
        let size = S3Client.partSize(fileSize: huge, configured: 8 << 20)
        #expect((huge + size - 1) / size <= 10_000)
    }
}
