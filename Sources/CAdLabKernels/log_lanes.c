// AdLabMath.log on vector lanes: out[i] = ln x[i] for positive normal x[i], the same operations in the same order as
// the scalar Swift function (split x = 2^k·m with √½ ≤ m < √2, s = f/(2 + f), a degree-9 polynomial in s², then
// k·ln2 in two parts), so the same bits. Other arguments (0, subnormals, negatives, ∞, NaN) give unspecified
// values here; the Swift caller recomputes those with the scalar function. The coefficients come from the caller
// (AdLabMath's table), so they are written down once. IEEE-exact operations only, contraction off: every variant
// gives the same bits.
#include "CAdLabKernels.h"

#include <string.h>

#include "philox_lanes.h"

#pragma clang fp contract(off)

#define LOG_BODY                                                                                               \
  for (long i = 0; i < count; i++) {                                                                         \
    uint64_t bits, significand_bits, exponent_bits;                                                          \
    memcpy(&bits, &x[i], sizeof bits);                                                                       \
    const uint64_t biased = (bits >> 52) & 0x7FF;                                                            \
    significand_bits = (bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;                               \
    exponent_bits = biased | 0x4330000000000000ull; /* 2^52 + biased, exactly */                             \
    double m, kd;                                                                                            \
    memcpy(&m, &significand_bits, sizeof m);                                                                 \
    memcpy(&kd, &exponent_bits, sizeof kd);                                                                  \
    kd = kd - (0x1p52 + 1023.0);                                                                             \
    const int high = m > 1.4142135623730951;                                                                 \
    m = high ? m * 0.5 : m;                                                                                  \
    kd = high ? kd + 1.0 : kd;                                                                               \
    const double f = m - 1.0;                                                                                \
    const double half_square = 0.5 * f * f;                                                                  \
    const double s = f / (2.0 + f);                                                                          \
    const double z = s * s;                                                                                  \
    double p = poly[8];                                                                                      \
    for (int j = 7; j >= 0; j--) p = p * z + poly[j];                                                        \
    const double r = z * p;                                                                                  \
    out[i] = kd * ln2_head - ((half_square - (s * (half_square + r) + (kd * ln2_tail + 0.0))) - f);          \
  }

#define LOG_PARAMS const double *x, double *out, long count, const double *poly, double ln2_head, double ln2_tail

void adlab_log_lanes_portable(LOG_PARAMS) { LOG_BODY }
V3 void adlab_log_lanes_v3(LOG_PARAMS) { LOG_BODY }
V4 void adlab_log_lanes_v4(LOG_PARAMS) { LOG_BODY }
