import CMallocTuning
import Testing

@Suite("Memory tuning")
struct MemoryTuningTests {
    #if os(Linux)
    @Test("glibc takes the fixed mmap threshold that rrr sets at start (the C shim reaches mallopt)")
    func mmapThresholdIsApplied() {
        // 1 is mallopt's success; 0 would mean the shim compiled to its no-op (glibc not detected).
        #expect(rrr_set_mmap_threshold(256 << 10) == 1)
    }
    #endif
}
