import AWSAuth
import AsyncHTTPClient
import Logging
import NIOCore

extension S3Client {
    /// Starts reading an object and returns its information and its bytes as a stream.
    ///
    /// The body is not in memory: iterate the returned ``S3ObjectStream`` to receive it chunk by
    /// chunk, with backpressure. When the connection drops mid-body, the stream reconnects and
    /// continues where it stopped (a ranged GET guarded by the ETag), within the retry policy's limit.
    /// - Throws: ``S3Error``, e.g. code ``S3Error/Code/noSuchKey``.
    public func getObject(bucket: String, key: String, logger: Logger) async throws -> S3ObjectStream {
        let request = S3Request(operation: "GetObject", method: .GET, bucket: bucket, key: key)
        let response = try await perform(request, logger: logger) { $0 }
        let info = S3ObjectInfo(key: key, headers: response.headers)
        return S3ObjectStream(info: info, client: self, request: request, body: response.body, logger: logger)
    }

    /// Continues an interrupted download from byte `offset` of the same object version.
    fileprivate func resumeObject(_ request: S3Request, eTag: String, offset: Int64, logger: Logger) async throws -> HTTPClientResponse.Body {
        var ranged = request
        ranged.headers += [("range", "bytes=\(offset)-"), ("if-match", "\"\(eTag)\"")]
        return try await perform(ranged, logger: logger) { response in
            guard response.status == .partialContent else {
                throw S3Error(code: .invalidResponse, message: "expected 206 Partial Content when resuming at byte \(offset), got \(response.status.code)", httpStatus: Int(response.status.code))
            }
            return response.body
        }
    }
}

/// An object being downloaded: its ``info`` and its bytes, as an `AsyncSequence` of `ByteBuffer`.
///
/// Iterate it once (a second iteration is a programming error). Chunks arrive as the network
/// delivers them; nothing is buffered beyond what the HTTP client holds for backpressure.
public struct S3ObjectStream: AsyncSequence, Sendable {
    /// A chunk of the object's bytes.
    public typealias Element = ByteBuffer

    /// The object's size, ETag, timestamps, encryption and metadata.
    public let info: S3ObjectInfo
    let client: S3Client
    let request: S3Request
    let body: HTTPClientResponse.Body
    let logger: Logger

    /// Creates the iterator; call once.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(stream: self, body: body.makeAsyncIterator())
    }

    /// Delivers the object's chunks, reconnecting after dropped connections.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: S3ObjectStream
        var body: HTTPClientResponse.Body.AsyncIterator
        var received: Int64 = 0
        var resumes = 0

        /// The next chunk, or `nil` once every byte of the object has arrived.
        /// - Throws: ``S3Error`` when the download cannot be completed.
        public mutating func next() async throws -> ByteBuffer? {
            while true {
                do {
                    if let chunk = try await body.next() {
                        received += Int64(chunk.readableBytes)
                        return chunk
                    }
                    guard received < stream.info.contentLength else { return nil }
                    throw S3Error(code: .connectionFailed, message: "the body ended after \(received) of \(stream.info.contentLength) bytes")
                } catch {
                    try await resume(after: error)
                }
            }
        }

        private mutating func resume(after error: any Error) async throws {
            let policy = stream.client.configuration.retryPolicy
            let cancelled = error is CancellationError || (error as? HTTPClientError) == .cancelled || Task.isCancelled
            guard !cancelled, resumes + 1 < policy.maximumAttempts else {
                throw stream.client.s3Error(error, request: stream.request, attempts: resumes + 1)
            }
            resumes += 1
            stream.logger.notice("S3 download interrupted, resuming", metadata: [
                "rrr_s3_bucket": "\(stream.request.bucket ?? "")", "rrr_s3_key": "\(stream.info.key)", "rrr_s3_offset": "\(received)", "rrr_s3_error": "\(error)",
            ])
            try await Task.sleep(for: policy.delay(beforeRetry: resumes))
            let newBody = try await stream.client.resumeObject(
                stream.request, eTag: stream.info.eTag, offset: received, logger: stream.logger
            )
            body = newBody.makeAsyncIterator()
        }
    }
}
