// CounterRandom's uniforms for many positions at once, on lanes of Philox4x32-10 blocks.
//
// Position (a, b) of a key is the block with counter (a.lo32, a.hi32, h.lo32, h.hi32 | 0x80000000),
// h = b >> 1, words 0-1 for even b and 2-3 for odd b (low word first); the uniform is the top 53 bits of
// those 64 times 2⁻⁵³ (CounterRandom's frozen layout). Integer arithmetic only, then one exact conversion
// and one exact scaling: every variant gives the same bits. The variants differ only in vector width.
#include "CAdLabKernels.h"

#include "philox_lanes.h"

#pragma clang fp contract(off)

// out[i] = uniform(key, a[i], b[i]).
#define PAIRS_BODY                                                                                             \
  for (long start = 0; start < count; start += LANES) {                                                      \
    const long lanes = count - start < LANES ? count - start : LANES;                                        \
    uint32_t c0[LANES], c1[LANES], c2[LANES], c3[LANES], odd[LANES];                                         \
    for (int l = 0; l < LANES; l++) {                                                                        \
      const long i = start + (l < lanes ? l : lanes - 1); /* spare lanes repeat the last position */         \
      const uint64_t h = b[i] >> 1;                                                                          \
      c0[l] = (uint32_t)a[i];                                                                                \
      c1[l] = (uint32_t)(a[i] >> 32);                                                                        \
      c2[l] = (uint32_t)h;                                                                                   \
      c3[l] = (uint32_t)(h >> 32) | 0x80000000u;                                                             \
      odd[l] = (uint32_t)(b[i] & 1);                                                                         \
    }                                                                                                        \
    PHILOX_LANES(c0, c1, c2, c3, key0, key1)                                                                 \
    double value[LANES];                                                                                     \
    for (int l = 0; l < LANES; l++) {                                                                        \
      const uint64_t even_bits = (uint64_t)c0[l] | ((uint64_t)c1[l] << 32);                                  \
      const uint64_t odd_bits = (uint64_t)c2[l] | ((uint64_t)c3[l] << 32);                                   \
      const uint64_t bits = odd[l] ? odd_bits : even_bits;                                                   \
      value[l] = (double)(int64_t)(bits >> 11) * 0x1p-53;                                                    \
    }                                                                                                        \
    for (long l = 0; l < lanes; l++) out[start + l] = value[l];                                              \
  }

// out[r * cols + b] = uniform(key, first_a + r, b) for r < rows, b < cols: one block per two columns. Blocks
// go row by row; (r, h) walks them without a division (spare lanes run past the end and are not stored).
#define ROWS_BODY                                                                                              \
  const long pairs_per_row = (cols + 1) / 2, blocks = rows * pairs_per_row;                                  \
  long next_r = 0, next_h = 0;                                                                               \
  for (long start = 0; start < blocks; start += LANES) {                                                     \
    const long lanes = blocks - start < LANES ? blocks - start : LANES;                                      \
    uint32_t c0[LANES], c1[LANES], c2[LANES], c3[LANES];                                                     \
    long lane_r[LANES], lane_h[LANES];                                                                       \
    for (int l = 0; l < LANES; l++) {                                                                        \
      const uint64_t row = first_a + (uint64_t)next_r, h = (uint64_t)next_h;                                 \
      lane_r[l] = next_r;                                                                                    \
      lane_h[l] = next_h;                                                                                    \
      c0[l] = (uint32_t)row;                                                                                 \
      c1[l] = (uint32_t)(row >> 32);                                                                         \
      c2[l] = (uint32_t)h;                                                                                   \
      c3[l] = (uint32_t)(h >> 32) | 0x80000000u;                                                             \
      if (++next_h == pairs_per_row) {                                                                       \
        next_h = 0;                                                                                          \
        next_r++;                                                                                            \
      }                                                                                                      \
    }                                                                                                        \
    PHILOX_LANES(c0, c1, c2, c3, key0, key1)                                                                 \
    for (long l = 0; l < lanes; l++) {                                                                       \
      const long column = 2 * lane_h[l];                                                                     \
      double *row_out = out + lane_r[l] * cols;                                                              \
      const uint64_t even_bits = (uint64_t)c0[l] | ((uint64_t)c1[l] << 32);                                  \
      const uint64_t odd_bits = (uint64_t)c2[l] | ((uint64_t)c3[l] << 32);                                   \
      row_out[column] = (double)(int64_t)(even_bits >> 11) * 0x1p-53;                                        \
      if (column + 1 < cols) row_out[column + 1] = (double)(int64_t)(odd_bits >> 11) * 0x1p-53;              \
    }                                                                                                        \
  }

#define PAIRS_PARAMS uint32_t key0, uint32_t key1, const uint64_t *a, const uint64_t *b, long count, double *out
#define ROWS_PARAMS uint32_t key0, uint32_t key1, uint64_t first_a, long rows, long cols, double *out

void adlab_counter_uniforms_portable(PAIRS_PARAMS) { PAIRS_BODY }
V3 void adlab_counter_uniforms_v3(PAIRS_PARAMS) { PAIRS_BODY }
V4 void adlab_counter_uniforms_v4(PAIRS_PARAMS) { PAIRS_BODY }

void adlab_counter_uniform_rows_portable(ROWS_PARAMS) { ROWS_BODY }
V3 void adlab_counter_uniform_rows_v3(ROWS_PARAMS) { ROWS_BODY }
V4 void adlab_counter_uniform_rows_v4(ROWS_PARAMS) { ROWS_BODY }
