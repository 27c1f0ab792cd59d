import AsyncHTTPClient
import NIOCore
import NIOPosix

/// When and how long to wait before retrying a failed AWS request (S3, STS, Redshift, …).
///
/// Retried: every 5xx, HTTP 429, AWS's throttling codes (`SlowDown`, `Throttling`, …), `RequestTimeout`,
/// and connection failures (refused, reset, dropped mid-response, timed out). Never retried: other
/// 4xx answers such as `AccessDenied`, `SignatureDoesNotMatch` or `NoSuchKey`, which would fail again.
/// Waits use "full jitter" exponential backoff: a random delay between zero and
/// `min(maximumDelay, baseDelay × 2^(retry - 1))`, so many clients throttled together spread out.
public struct RetryPolicy: Sendable, Hashable {
    /// The most attempts made for one request, the first included. Default 5.
    public var maximumAttempts: Int
    /// The backoff ceiling of the first retry; doubled for each further retry. Default 100 ms.
    public var baseDelay: Duration
    /// The largest backoff ceiling. Default 5 seconds.
    public var maximumDelay: Duration

    /// Creates a policy; the defaults are those of ``default``.
    public init(maximumAttempts: Int = 5, baseDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(5)) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// 5 attempts, backoff ceilings 100 ms, 200 ms, 400 ms, 800 ms.
    public static let `default` = RetryPolicy()
    /// A single attempt, no retry.
    public static let none = RetryPolicy(maximumAttempts: 1)

    /// The random wait before retry number `retry` (1 for the first retry).
    package func delay(beforeRetry retry: Int) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(maximumDelay, baseDelay * (1 << exponent))
        let ceilingNanoseconds = max(ceiling.nanoseconds, 0)
        return .nanoseconds(Int64.random(in: 0...ceilingNanoseconds))
    }
}

extension RetryPolicy {
    /// AWS error codes that mean "try again later", whatever the HTTP status.
    package static let retryableCodes: Set<String> = [
        "SlowDown", "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
        "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "ProvisionedThroughputExceededException", "RequestTimeout",
        "RequestTimeoutException", "InternalError", "ServiceUnavailable", "PriorRequestNotComplete",
    ]

    /// Whether an error answer (AWS's code and the HTTP status) is worth retrying.
    package static func isRetryable(code: String, httpStatus: Int?) -> Bool {
        if retryableCodes.contains(code) { return true }
        guard let status = httpStatus else { return false }
        return status >= 500 || status == 429
    }

    /// Whether a transport error (thrown by the HTTP client, not an S3 answer) is worth retrying:
    /// connection refused/reset/dropped and timeouts are; invalid requests and cancellation are not.
    package static func isRetryableTransportError(_ error: any Error) -> Bool {
        if error is CancellationError { return false }
        if let error = error as? HTTPClientError {
            let retryable: [HTTPClientError] = [
                .remoteConnectionClosed, .readTimeout, .writeTimeout, .connectTimeout, .deadlineExceeded,
                .getConnectionFromPoolTimeout, .tlsHandshakeTimeout, .uncleanShutdown, .bodyLengthMismatch,
            ]
            return retryable.contains(error)
        }
        // NIO's socket errors (IOError: ECONNRESET, ECONNREFUSED, EPIPE, …) and channel errors
        // (connection closed, connect timeout) are all about the connection.
        return error is IOError || error is ChannelError || error is NIOConnectionError
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    package var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product &+ attoseconds / 1_000_000_000
    }
}
