// x86-64-v4 (AVX-512) instance of AdLab's vectorised math and Float row kernels: 8 double lanes, so 8 Floats per step.
#include "CAdLabKernels.h"

// The scalar forms round every product and sum separately; so must the lanes.
#pragma clang fp contract(off)

#if defined(__x86_64__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma")))
#define SUFFIX v4
#define W 8
#define VD __m512d
#define VF __m256
#define VI __m256i
#define MASK __mmask8

#define SET(v) _mm512_set1_pd(v)
#define ADD(a, b) _mm512_add_pd(a, b)
#define SUB(a, b) _mm512_sub_pd(a, b)
#define MUL(a, b) _mm512_mul_pd(a, b)
#define DIV(a, b) _mm512_div_pd(a, b)
#define MIN(a, b) _mm512_min_pd(a, b)
#define MAX(a, b) _mm512_max_pd(a, b)
#define NEG(a) _mm512_xor_pd(a, _mm512_set1_pd(-0.0))
#define ABS(a) _mm512_andnot_pd(_mm512_set1_pd(-0.0), a)
#define COPYSIGN(a, s) _mm512_or_pd(ABS(a), _mm512_and_pd(_mm512_set1_pd(-0.0), s))
#define ROUND(a) _mm512_roundscale_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define LT(a, b) _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ)
#define LE(a, b) _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ)
#define GT(a, b) _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ)
#define GE(a, b) _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ)
#define EQ(a, b) _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ)
#define ISNAN(a) _mm512_cmp_pd_mask(a, a, _CMP_UNORD_Q)
#define SEL(m, a, b) _mm512_mask_blend_pd(m, b, a)
#define TOD(f) _mm512_cvtps_pd(f)
#define TOF(d) _mm512_cvtpd_ps(d)
#define LOADF(p) _mm256_loadu_ps(p)
#define STOREF(p, v) _mm256_storeu_ps(p, v)
#define FISNAN(f) _mm256_cmp_ps_mask(f, f, _CMP_UNORD_Q)
#define FSEL(m, a, b) _mm256_mask_blend_ps(m, b, a)
#define TOI(d) _mm512_cvtpd_epi32(d)
#define IAND63(k) _mm256_and_si256(k, _mm256_set1_epi32(63))
#define ISRA6(k) _mm256_srai_epi32(k, 6)
#define GATHER(table, j) _mm512_i32gather_pd(j, table, 8)
// 2^m for normal results: the biased exponent m + 1023 placed in the exponent field.
#define POW2(m) \
  _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_add_epi64(_mm512_cvtepi32_epi64(m), _mm512_set1_epi64(1023)), 52))
// The significand of a positive normal double, in [1, 2).
#define MANTISSA(x)                                                                                \
  _mm512_castsi512_pd(_mm512_or_si512(_mm512_and_si512(_mm512_castpd_si512(x),                    \
                                                       _mm512_set1_epi64(0x000FFFFFFFFFFFFFLL)),  \
                                      _mm512_set1_epi64(0x3FF0000000000000LL)))
// The unbiased exponent of a positive normal double, as a double (exact).
#define EXPONENT_D(x)                                                                                    \
  _mm512_sub_pd(_mm512_castsi512_pd(_mm512_or_si512(_mm512_srli_epi64(_mm512_castpd_si512(x), 52),      \
                                                    _mm512_set1_epi64(0x4330000000000000LL))),          \
                _mm512_set1_pd(4503599627371519.0))

#define SETF(v) _mm256_set1_ps(v)
#define ADDF(a, b) _mm256_add_ps(a, b)
#define SUBF(a, b) _mm256_sub_ps(a, b)
#define MULF(a, b) _mm256_mul_ps(a, b)
#define DIVF(a, b) _mm256_div_ps(a, b)
#define SQRTF(a) _mm256_sqrt_ps(a)
#define FMAF(a, b, c) _mm256_fmadd_ps(a, b, c)
#define FMAD(a, b, c) _mm512_fmadd_pd(a, b, c)
#define ABSF(a) _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a)
#define NEGF(a) _mm256_xor_ps(a, _mm256_set1_ps(-0.0f))
#define GEF(a, b) _mm256_cmp_ps_mask(a, b, _CMP_GE_OQ)
#define STORED(p, v) _mm512_storeu_pd(p, v)
#define SET_LANE_INDEX() _mm512_set_pd(7, 6, 5, 4, 3, 2, 1, 0)

#include "vector_math_body.h"
#include "vector_kernels_body.h"

#else  // not x86-64: the class is never supported here, so these are never called.

#define STUB_UNARY(name) \
  void adlab_##name##_v4(long n, const float *x, float *y, const adlab_vector_math_constants *c) { __builtin_trap(); }
STUB_UNARY(vexpf)
STUB_UNARY(vlogf)
STUB_UNARY(vtanhf)
STUB_UNARY(vsigmoidf)
STUB_UNARY(verff)
STUB_UNARY(vsigmoid_float)
STUB_UNARY(vgelu)
STUB_UNARY(vsilu)
void adlab_vgelu_grad_v4(long n, const float *g, const float *x, float *y, const adlab_vector_math_constants *c) {
  __builtin_trap();
}
void adlab_softmax_row_v4(long n, const float *x, float *y, int logarithm, const adlab_vector_math_constants *c) {
  __builtin_trap();
}
void adlab_layer_norm_row_v4(long n, const float *x, const float *gain, const float *bias, float epsilon, float *y,
                             float *mean_out, float *inverse_out) {
  __builtin_trap();
}
float adlab_rms_norm_row_v4(long n, const float *x, const float *weight, float epsilon, float *y) { __builtin_trap(); }
void adlab_adam_v4(long n, float *w, float *m, float *v, const float *g, const adlab_adam_constants *p) {
  __builtin_trap();
}

#endif
