#ifndef RRR_MALLOC_TUNING_H
#define RRR_MALLOC_TUNING_H

/// Sets glibc's mmap threshold (bytes), which also turns off its dynamic adjustment.
/// Returns 1 when applied, 0 where the allocator is not glibc's.
int rrr_set_mmap_threshold(int bytes);

#endif
