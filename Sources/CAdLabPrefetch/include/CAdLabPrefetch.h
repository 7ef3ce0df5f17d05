#ifndef CADLAB_PREFETCH_H
#define CADLAB_PREFETCH_H

/// A software prefetch hint (Swift has none): asks the CPU to bring the cache line holding `address` into cache
/// for reading. It never faults and changes no value, so it cannot affect results, only when memory arrives.
static inline void adlab_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
