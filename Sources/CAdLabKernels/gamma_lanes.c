// Marsaglia–Tsang gamma attempts on lanes of Philox4x32-10 blocks: the bulk of Thompson sampling's Beta draws.
//
// Attempt i takes the Philox block at counter (first + i) of the key, in RandomStream's layout
// (lo32, hi32, 0, 0). Words w0 | w1 << 32 are the normal's bits (ziggurat layer = low 8 bits,
// u_z = (bits >> 11)·2⁻⁵² − 1) and w2 | w3 << 32 the uniform's (u = (bits >> 11)·2⁻⁵³), exactly as
// RandomStream.normal() and uniform() map them. The attempt is decided here when the normal lies in the
// ziggurat's core (|u_z| < ratio[layer], x = u_z·x[layer]), v = 1 + c·x > 0 and the squeeze accepts
// (u < 1 − 0.0331·x⁴): out[i] = d·v³. Otherwise out[i] = −1 and the caller completes the same attempt
// exactly from normal_bits[i] and uniforms[i] (the rare ziggurat paths, the logarithmic test, retries); the
// indices of those attempts are listed in increasing order in undecided[0 ..< returned count].
//
// Every variant computes the same bits: the Philox part is integer arithmetic, and the floating-point part
// uses only IEEE-exact operations (+ − × compare) in one fixed order, with contraction off, so no variant
// may fuse a multiply-add. The variants differ only in vector width (the lane loops are auto-vectorised).
#include "CAdLabKernels.h"

#include "philox_lanes.h"

#pragma clang fp contract(off)

#define GAMMA_LANES_BODY                                                                                       \
  for (long start = 0; start < count; start += LANES) {                                                     \
    uint32_t c0[LANES], c1[LANES], c2[LANES], c3[LANES];                                                    \
    for (int l = 0; l < LANES; l++) {                                                                       \
      const uint64_t n = first + (uint64_t)(start + l);                                                     \
      c0[l] = (uint32_t)n;                                                                                  \
      c1[l] = (uint32_t)(n >> 32);                                                                          \
      c2[l] = 0;                                                                                            \
      c3[l] = 0;                                                                                            \
    }                                                                                                       \
    PHILOX_LANES(c0, c1, c2, c3, key0, key1)                                                                \
    double value[LANES], uniform[LANES];                                                                    \
    uint64_t bits[LANES];                                                                                   \
    for (int l = 0; l < LANES; l++) {                                                                       \
      const uint64_t nb = (uint64_t)c0[l] | ((uint64_t)c1[l] << 32);                                        \
      const uint64_t ub = (uint64_t)c2[l] | ((uint64_t)c3[l] << 32);                                        \
      const int layer = (int)(nb & 0xFF);                                                                   \
      const double uz = (double)(int64_t)(nb >> 11) * 0x1p-52 - 1.0;                                        \
      const double u = (double)(int64_t)(ub >> 11) * 0x1p-53;                                               \
      const double x = uz * zig_x[layer];                                                                   \
      const double v = 1.0 + c * x;                                                                         \
      const double v3 = v * v * v;                                                                          \
      const double x2 = x * x;                                                                              \
      const double magnitude = uz < 0 ? -uz : uz;                                                           \
      const int decided = (magnitude < zig_ratio[layer]) & (v > 0) & (u < 1.0 - 0.0331 * (x2 * x2));         \
      value[l] = decided ? d * v3 : -1.0;                                                                   \
      uniform[l] = u;                                                                                       \
      bits[l] = nb;                                                                                         \
    }                                                                                                       \
    const long lanes = count - start < LANES ? count - start : LANES;                                       \
    for (long l = 0; l < lanes; l++) {                                                                      \
      out[start + l] = value[l];                                                                            \
      normal_bits[start + l] = bits[l];                                                                     \
      uniforms[start + l] = uniform[l];                                                                     \
      undecided[found] = start + l; /* kept only when undecided: no branch to mispredict */                 \
      found += value[l] < 0;                                                                                \
    }                                                                                                       \
  }

#define GAMMA_LANES_PARAMS                                                                                     \
  uint32_t key0, uint32_t key1, uint64_t first, long count, double d, double c, const double *zig_x,        \
      const double *zig_ratio, double *out, uint64_t *normal_bits, double *uniforms, long *undecided

long adlab_gamma_lanes_portable(GAMMA_LANES_PARAMS) {
  long found = 0;
  GAMMA_LANES_BODY
  return found;
}
V3 long adlab_gamma_lanes_v3(GAMMA_LANES_PARAMS) {
  long found = 0;
  GAMMA_LANES_BODY
  return found;
}
// AVX-512 has registers for 32 lanes: four independent chains of Philox rounds hide the multiplies' latency.
// The lane count changes no result (attempt i always takes block first + i).
#undef LANES
#define LANES 32
V4 long adlab_gamma_lanes_v4(GAMMA_LANES_PARAMS) {
  long found = 0;
  GAMMA_LANES_BODY
  return found;
}
