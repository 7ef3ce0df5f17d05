// The float path of the quantised products for the portable class: 8-lane vectors (two SSE2 registers
// on x86-64), separate multiply and add roundings. See quant_float_body.h for the contract.
#include "CAdLabKernels.h"

#include <stdint.h>
#include <string.h>

// An fp16 bit pattern as a float, exactly (subnormals, infinities and NaN included), without F16C.
static inline float qf_half_portable(const uint8_t *p) {
  const uint32_t h = (uint32_t)p[0] | ((uint32_t)p[1] << 8);
  const uint32_t sign = (h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1F;
  const uint32_t mantissa = h & 0x3FF;
  uint32_t bits;
  if (exponent == 0x1F) {
    bits = sign | 0x7F800000u | (mantissa << 13);
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else {
    // Zero or subnormal: mantissa * 2^-24 is exact in float.
    float magnitude = (float)mantissa * 0x1p-24f;
    memcpy(&bits, &magnitude, sizeof bits);
    bits |= sign;
  }
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

// The 8-lane vectors only ever live inside always-inlined helpers, so their by-value ABI never matters.
#pragma clang diagnostic ignored "-Wpsabi"

#define QF_LANES 8
#define QF_ATTR
#define QF_FMA(a, b, c) ((a) * (b) + (c))
#define QF_NAME(base) base##_portable
#define QF_HALF(p) qf_half_portable(p)
#define QF_TILE_ROWS 2
#define QF_TILE_VECS 2
#define QF_SINGLE_ROWS 4
#include "quant_float_body.h"
