// The float path of the quantised products for x86-64-v3: 8-lane AVX2 vectors, fused multiply-add.
// See quant_float_body.h for the contract.
#include "CAdLabKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define QF_LANES 8
#define QF_ATTR __attribute__((target("avx2,fma,f16c")))
#define QF_FMA(a, b, c) __builtin_elementwise_fma(a, b, c)
#define QF_NAME(base) base##_v3
#define QF_HALF(p) _cvtsh_ss((unsigned short)((p)[0] | ((p)[1] << 8)))
#define QF_TILE_ROWS 4
#define QF_TILE_VECS 2
#define QF_SINGLE_ROWS 8
#include "quant_float_body.h"

#else  // not x86-64: the class is never supported here, so these are never called.

void adlab_q41_matmul_f32_v3(const uint8_t *w, long rows, long k, const float *x, long ldx, long nvec, float *y, long ldy) {
  __builtin_trap();
}
void adlab_q80_matmul_f32_v3(const uint8_t *w, long rows, long k, const float *x, long ldx, long nvec, float *y, long ldy) {
  __builtin_trap();
}

#endif
