import AsyncSupport

/// Named points in a table's run where a crash test stops the process: a state name (right after
/// that state is saved), `part-uploaded` (a streamed export's
/// multipart part reached S3), or `load-committed` (after the Redshift COMMIT, before the history says
/// `imported`).
///
/// The library only calls the hook; it never acts on a point itself, and its users cannot set the
/// hook (`package` access). The `rrr` command installs one from `RRR_FAILPOINT_KILL` (the kill -9
/// tests and the export benchmarks use it); without a hook every point does nothing.
package enum Failpoint {
    private static let hook = Locked<(@Sendable (String) -> Void)?>(nil)

    /// Calls `hook` with each point's name from now on (`nil` removes it).
    package static func install(_ hook: (@Sendable (String) -> Void)?) {
        self.hook.withLock { $0 = hook }
    }

    static func hit(_ point: String) {
        hook.withLock { $0 }?(point)
    }
}
