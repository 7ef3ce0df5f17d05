// Shared by the lane kernels (gamma_lanes.c, counter_lanes.c): Philox4x32-10 on LANES blocks at once and the
// per-class target attributes. Each kernel's body is written once and compiled three times (portable, V3, V4);
// the lane loops are plain C that the compiler vectorises to the class's width.
#ifndef ADLAB_PHILOX_LANES_H
#define ADLAB_PHILOX_LANES_H

#include <stdint.h>

#define LANES 16

// Philox4x32-10 on LANES blocks held in c0..c3 (structure of arrays), in place.
#define PHILOX_LANES(c0, c1, c2, c3, key0, key1)                                                               \
  {                                                                                                          \
    uint32_t ka = (key0), kb = (key1);                                                                       \
    for (int round = 0; round < 10; round++) {                                                               \
      for (int l = 0; l < LANES; l++) {                                                                      \
        const uint64_t p0 = (uint64_t)0xD2511F53u * c0[l];                                                   \
        const uint64_t p1 = (uint64_t)0xCD9E8D57u * c2[l];                                                   \
        const uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1[l] ^ ka;                                               \
        const uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3[l] ^ kb;                                               \
        c1[l] = (uint32_t)p1;                                                                                \
        c3[l] = (uint32_t)p0;                                                                                \
        c0[l] = n0;                                                                                          \
        c2[l] = n2;                                                                                          \
      }                                                                                                      \
      ka += 0x9E3779B9u;                                                                                     \
      kb += 0xBB67AE85u;                                                                                     \
    }                                                                                                        \
  }

#if defined(__x86_64__)
#define V3 __attribute__((target("avx2,fma")))
#define V4 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
#else
#define V3
#define V4
#endif

#endif
