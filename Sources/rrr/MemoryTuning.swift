import CMallocTuning
#if canImport(Glibc)
import Glibc
#endif

/// How the process asks glibc's allocator to give memory back.
///
/// rrr allocates and frees buffers of 0.5-5 MiB all run long (CSV batches, multipart upload
/// parts). glibc maps such blocks with mmap and unmaps them when freed, but after the first
/// such free it raises its mmap threshold to that size (up to 32 MiB), so later blocks come
/// from the heap and stay resident after they are freed. A fixed threshold turns that
/// adjustment off: measured on an 8M-row streamed export, the anonymous memory peak fell from
/// 66 to 34 MiB (`scripts/bench-stage` prints both parts of the RSS).
enum MemoryTuning {
    /// Blocks from this size up are mapped and unmapped on their own (glibc's initial default).
    static let mmapThreshold: Int32 = 256 << 10

    /// Applies the tuning; a no-op where glibc is not the allocator, or when `GLIBC_TUNABLES`
    /// already sets the threshold (the operator's choice wins).
    static func apply() {
        #if canImport(Glibc)
        if let tunables = getenv("GLIBC_TUNABLES"), String(cString: tunables).contains("mmap_threshold") { return }
        #endif
        _ = rrr_set_mmap_threshold(mmapThreshold)
    }
}
