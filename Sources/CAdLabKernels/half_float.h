// An fp16 bit pattern (little-endian, as ggml stores block scales) as a float, exactly: subnormals, infinities
// and NaN included, without F16C, so every kernel class converts the same way. Private to CAdLabKernels.
#ifndef ADLAB_HALF_FLOAT_H
#define ADLAB_HALF_FLOAT_H

#include <stdint.h>
#include <string.h>

static inline float adlab_half_to_float(const uint8_t *p) {
  const uint32_t h = (uint32_t)p[0] | ((uint32_t)p[1] << 8);
  const uint32_t sign = (h & 0x8000u) << 16, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
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

#endif
