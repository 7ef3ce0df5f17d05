// The 8-bit-activation path of the quantised products (the arithmetic llama.cpp uses on CPUs): activations are
// quantised per 32-block to int8 codes qx with scale dx and sx = dx * sum(qx) (done by the caller), and each
// weight block meets them in integer arithmetic.
//
// Contract of every class, per output element (row r, vector v): eight float lanes acc[0..8) and a float macc,
// all zero at first; for each block b in order: p[j] = sum over t < 4 of qw[4j+t] * qx[4j+t] (exact int32, weights
// in element order: Q4_1 nibble codes 0..15, Q8_0 int8 codes), s = dw * dx (one rounding), then
// acc[j] = FMA(float(p[j]), s, acc[j]) and, for Q4_1 only, macc = FMA(mw, sx, macc); finally
// acc is summed by halving (lane i += lane i + 4, then + 2, then + 1) and macc added. FMA is fused in x86-64-v3
// and v4 (which therefore give the same bits) and a multiply then an add in portable. The integer partial sums
// are exact in every instruction set (maddubs pairs stay below 2 * 15 * 128 or 2 * 128 * 127 < 2^15), so
// AVX-512 VNNI's dpbusd and AVX2's maddubs + madd give identical p[j].
#include "CAdLabKernels.h"

#include <stdint.h>
#include <string.h>

#pragma clang fp contract(off)

enum { Q41_BYTES = 20, Q80_BYTES = 34 };

#include "half_float.h"

// Portable: plain C; the integer sums are exact whatever the compiler vectorises.
static void dot_portable(const uint8_t *w, long nb, int is_q41, const int8_t *qx, const float *dx, const float *sx,
                         float *out) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  float macc = 0;
  const long block_bytes = is_q41 ? Q41_BYTES : Q80_BYTES;
  for (long b = 0; b < nb; b++) {
    const uint8_t *block = w + b * block_bytes;
    const int8_t *x = qx + b * 32;
    int32_t p[8];
    for (int j = 0; j < 8; j++) {
      int32_t sum = 0;
      for (int t = 0; t < 4; t++) {
        const int e = 4 * j + t;
        const int32_t q = is_q41 ? (e < 16 ? (block[4 + e] & 0xF) : (block[4 + e - 16] >> 4)) : (int8_t)block[2 + e];
        sum += q * x[e];
      }
      p[j] = sum;
    }
    const float s = adlab_half_to_float(block) * dx[b];
    for (int j = 0; j < 8; j++) acc[j] = acc[j] + (float)p[j] * s;
    if (is_q41) macc = macc + adlab_half_to_float(block + 2) * sx[b];
  }
  for (int half = 4; half >= 1; half /= 2)
    for (int i = 0; i < half; i++) acc[i] = acc[i] + acc[i + half];
  *out = acc[0] + macc;
}

void adlab_quant_matmul_q8_portable(const uint8_t *w, int is_q41, long rows, long k, const int8_t *qx, const float *dx,
                                    const float *sx, long nvec, float *y, long ldy) {
  const long nb = k / 32;
  const long row_bytes = nb * (is_q41 ? Q41_BYTES : Q80_BYTES);
  for (long r = 0; r < rows; r++)
    for (long v = 0; v < nvec; v++)
      dot_portable(w + r * row_bytes, nb, is_q41, qx + v * k, dx + v * nb, sx + v * nb, y + v * ldy + r);
}

#if defined(__x86_64__)
#include <immintrin.h>

#define Q8_V3 __attribute__((target("avx2,fma,f16c")))
#define Q8_V4 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,avx2,fma,f16c")))

// The 32 weight codes of a block in element order, as unsigned bytes (Q4_1) or signed ones (Q8_0).
#define Q8_WEIGHTS(block, is_q41)                                                                          \
  ((is_q41) ? ({                                                                                           \
    const __m128i packed = _mm_loadu_si128((const __m128i *)((block) + 4));                                \
    const __m128i low = _mm_and_si128(packed, _mm_set1_epi8(0x0F));                                        \
    const __m128i high = _mm_and_si128(_mm_srli_epi16(packed, 4), _mm_set1_epi8(0x0F));                    \
    _mm256_set_m128i(high, low);                                                                           \
  })                                                                                                       \
              : _mm256_loadu_si256((const __m256i *)((block) + 2)))

// One tile of RT rows x VT vectors; PARTIALS(w, x) gives the eight 4-element int32 partial sums of unsigned
// weights w and signed activations x. For Q8_0 weights the sign moves to the activations first.
#define Q8_TILE(NAME, ATTR, PARTIALS)                                                                      \
  static inline ATTR __attribute__((always_inline)) void NAME(                                             \
      const uint8_t *w, long row_bytes, long nb, int is_q41, const int8_t *qx, const float *dx,            \
      const float *sx, long k, float *y, long ldy, const int RT, const int VT) {                           \
    __m256 acc[4][4];                                                                                      \
    float macc[4][4];                                                                                      \
    for (int r = 0; r < RT; r++)                                                                           \
      for (int v = 0; v < VT; v++) {                                                                       \
        acc[r][v] = _mm256_setzero_ps();                                                                   \
        macc[r][v] = 0;                                                                                    \
      }                                                                                                    \
    const long block_bytes = is_q41 ? Q41_BYTES : Q80_BYTES;                                               \
    const long nbv = k / 32;                                                                               \
    for (long b = 0; b < nb; b++) {                                                                        \
      __m256i wv[4];                                                                                       \
      float dw[4], mw[4];                                                                                  \
      for (int r = 0; r < RT; r++) {                                                                       \
        const uint8_t *block = w + r * row_bytes + b * block_bytes;                                        \
        wv[r] = Q8_WEIGHTS(block, is_q41);                                                                 \
        dw[r] = _cvtsh_ss((unsigned short)(block[0] | (block[1] << 8)));                                   \
        mw[r] = is_q41 ? _cvtsh_ss((unsigned short)(block[2] | (block[3] << 8))) : 0;                      \
      }                                                                                                    \
      for (int v = 0; v < VT; v++) {                                                                       \
        const __m256i xv = _mm256_loadu_si256((const __m256i *)(qx + v * k + b * 32));                     \
        const float d = dx[v * nbv + b];                                                                   \
        const float s = sx[v * nbv + b];                                                                   \
        for (int r = 0; r < RT; r++) {                                                                     \
          __m256i p;                                                                                       \
          if (is_q41) {                                                                                    \
            p = PARTIALS(wv[r], xv);                                                                       \
          } else {                                                                                         \
            p = PARTIALS(_mm256_sign_epi8(wv[r], wv[r]), _mm256_sign_epi8(xv, wv[r]));                     \
          }                                                                                                \
          const float scale = dw[r] * d;                                                                   \
          acc[r][v] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(scale), acc[r][v]);             \
          if (is_q41) macc[r][v] = __builtin_fmaf(mw[r], s, macc[r][v]);                                   \
        }                                                                                                  \
      }                                                                                                    \
    }                                                                                                      \
    for (int r = 0; r < RT; r++)                                                                           \
      for (int v = 0; v < VT; v++) {                                                                       \
        const __m128 four = _mm_add_ps(_mm256_castps256_ps128(acc[r][v]), _mm256_extractf128_ps(acc[r][v], 1)); \
        const __m128 two = _mm_add_ps(four, _mm_movehl_ps(four, four));                                    \
        const __m128 one = _mm_add_ss(two, _mm_shuffle_ps(two, two, 1));                                   \
        y[v * ldy + r] = _mm_cvtss_f32(one) + macc[r][v];                                                  \
      }                                                                                                    \
  }

// The rows and vectors of a call in tiles of 4 x VTILE, leftovers in smaller tiles (same per-element order).
#define Q8_MATMUL(NAME, ATTR, TILE, VTILE)                                                                 \
  ATTR void NAME(const uint8_t *w, int is_q41, long rows, long k, const int8_t *qx, const float *dx,       \
                 const float *sx, long nvec, float *y, long ldy) {                                         \
    const long nb = k / 32;                                                                                \
    const long row_bytes = nb * (is_q41 ? Q41_BYTES : Q80_BYTES);                                          \
    long r = 0;                                                                                            \
    for (; r + 4 <= rows; r += 4) {                                                                        \
      long v = 0;                                                                                          \
      for (; v + VTILE <= nvec; v += VTILE)                                                                \
        TILE(w + r * row_bytes, row_bytes, nb, is_q41, qx + v * k, dx + v * nb, sx + v * nb, k,            \
             y + v * ldy + r, ldy, 4, VTILE);                                                              \
      for (; v < nvec; v++)                                                                                \
        TILE(w + r * row_bytes, row_bytes, nb, is_q41, qx + v * k, dx + v * nb, sx + v * nb, k,            \
             y + v * ldy + r, ldy, 4, 1);                                                                  \
    }                                                                                                      \
    for (; r < rows; r++)                                                                                  \
      for (long v = 0; v < nvec; v++)                                                                      \
        TILE(w + r * row_bytes, row_bytes, nb, is_q41, qx + v * k, dx + v * nb, sx + v * nb, k,            \
             y + v * ldy + r, ldy, 1, 1);                                                                  \
  }

// AVX2: u8 x s8 pairs to int16 (exact, see above), pairs of int16 to int32.
#define Q8_PARTIALS_AVX2(w, x) _mm256_madd_epi16(_mm256_maddubs_epi16((w), (x)), _mm256_set1_epi16(1))
// AVX-512 VNNI (256-bit form): four u8 x s8 products summed straight into int32.
#define Q8_PARTIALS_VNNI(w, x) _mm256_dpbusd_epi32(_mm256_setzero_si256(), (w), (x))

Q8_TILE(tile_v3, Q8_V3, Q8_PARTIALS_AVX2)
Q8_MATMUL(adlab_quant_matmul_q8_v3, Q8_V3, tile_v3, 2)
Q8_TILE(tile_v4, Q8_V4, Q8_PARTIALS_AVX2)
Q8_MATMUL(matmul_v4_avx2, Q8_V4, tile_v4, 4)
Q8_TILE(tile_v4_vnni, Q8_V4, Q8_PARTIALS_VNNI)
Q8_MATMUL(matmul_v4_vnni, Q8_V4, tile_v4_vnni, 4)

void adlab_quant_matmul_q8_v4(const uint8_t *w, int is_q41, long rows, long k, const int8_t *qx, const float *dx,
                              const float *sx, long nvec, float *y, long ldy) {
  // VNNI is not part of the x86-64-v4 level, so it is used where present; it changes speed, never bits.
  if (adlab_cpu_supports_avx512_vnni())
    matmul_v4_vnni(w, is_q41, rows, k, qx, dx, sx, nvec, y, ldy);
  else
    matmul_v4_avx2(w, is_q41, rows, k, qx, dx, sx, nvec, y, ldy);
}

#else  // not x86-64: the classes are never supported here, so these are never called.

void adlab_quant_matmul_q8_v3(const uint8_t *w, int is_q41, long rows, long k, const int8_t *qx, const float *dx,
                              const float *sx, long nvec, float *y, long ldy) {
  __builtin_trap();
}
void adlab_quant_matmul_q8_v4(const uint8_t *w, int is_q41, long rows, long k, const int8_t *qx, const float *dx,
                              const float *sx, long nvec, float *y, long ldy) {
  __builtin_trap();
}

#endif
