// x86-64-v3 (AVX2) instance of AdLab's vectorised math and Float row kernels: 4 double lanes, so 4 Floats per step.
#include "CAdLabKernels.h"

// The scalar forms round every product and sum separately; so must the lanes.
#pragma clang fp contract(off)

#if defined(__x86_64__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx2,fma")))
#define SUFFIX v3
#define W 4
#define VD __m256d
#define VF __m128
#define VI __m128i
#define MASK __m256d

#define SET(v) _mm256_set1_pd(v)
#define ADD(a, b) _mm256_add_pd(a, b)
#define SUB(a, b) _mm256_sub_pd(a, b)
#define MUL(a, b) _mm256_mul_pd(a, b)
#define DIV(a, b) _mm256_div_pd(a, b)
#define MIN(a, b) _mm256_min_pd(a, b)
#define MAX(a, b) _mm256_max_pd(a, b)
#define NEG(a) _mm256_xor_pd(a, _mm256_set1_pd(-0.0))
#define ABS(a) _mm256_andnot_pd(_mm256_set1_pd(-0.0), a)
#define COPYSIGN(a, s) _mm256_or_pd(ABS(a), _mm256_and_pd(_mm256_set1_pd(-0.0), s))
#define ROUND(a) _mm256_round_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define LT(a, b) _mm256_cmp_pd(a, b, _CMP_LT_OQ)
#define LE(a, b) _mm256_cmp_pd(a, b, _CMP_LE_OQ)
#define GT(a, b) _mm256_cmp_pd(a, b, _CMP_GT_OQ)
#define GE(a, b) _mm256_cmp_pd(a, b, _CMP_GE_OQ)
#define EQ(a, b) _mm256_cmp_pd(a, b, _CMP_EQ_OQ)
#define ISNAN(a) _mm256_cmp_pd(a, a, _CMP_UNORD_Q)
#define SEL(m, a, b) _mm256_blendv_pd(b, a, m)
#define TOD(f) _mm256_cvtps_pd(f)
#define TOF(d) _mm256_cvtpd_ps(d)
#define LOADF(p) _mm_loadu_ps(p)
#define STOREF(p, v) _mm_storeu_ps(p, v)
#define FISNAN(f) _mm_cmpunord_ps(f, f)
#define FSEL(m, a, b) _mm_blendv_ps(b, a, m)
#define TOI(d) _mm256_cvtpd_epi32(d)
#define IAND63(k) _mm_and_si128(k, _mm_set1_epi32(63))
#define ISRA6(k) _mm_srai_epi32(k, 6)
#define GATHER(table, j) _mm256_i32gather_pd(table, j, 8)
// 2^m for normal results: the biased exponent m + 1023 placed in the exponent field.
#define POW2(m) \
  _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(_mm256_cvtepi32_epi64(m), _mm256_set1_epi64x(1023)), 52))
// The significand of a positive normal double, in [1, 2).
#define MANTISSA(x)                                                                                \
  _mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(_mm256_castpd_si256(x),                    \
                                                       _mm256_set1_epi64x(0x000FFFFFFFFFFFFFLL)), \
                                      _mm256_set1_epi64x(0x3FF0000000000000LL)))
// The unbiased exponent of a positive normal double, as a double: the biased exponent e placed in the
// significand of 2^52 (giving 2^52 + e exactly), minus 2^52 + 1023.
#define EXPONENT_D(x)                                                                                    \
  _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(_mm256_castpd_si256(x), 52),      \
                                                    _mm256_set1_epi64x(0x4330000000000000LL))),         \
                _mm256_set1_pd(4503599627371519.0))

#define SETF(v) _mm_set1_ps(v)
#define ADDF(a, b) _mm_add_ps(a, b)
#define SUBF(a, b) _mm_sub_ps(a, b)
#define MULF(a, b) _mm_mul_ps(a, b)
#define DIVF(a, b) _mm_div_ps(a, b)
#define SQRTF(a) _mm_sqrt_ps(a)
#define FMAF(a, b, c) _mm_fmadd_ps(a, b, c)
#define FMAD(a, b, c) _mm256_fmadd_pd(a, b, c)
#define ABSF(a) _mm_andnot_ps(_mm_set1_ps(-0.0f), a)
#define NEGF(a) _mm_xor_ps(a, _mm_set1_ps(-0.0f))
#define GEF(a, b) _mm_cmp_ps(a, b, _CMP_GE_OQ)
#define STORED(p, v) _mm256_storeu_pd(p, v)
#define SET_LANE_INDEX() _mm256_set_pd(3, 2, 1, 0)

#include "vector_math_body.h"
#include "vector_kernels_body.h"

#else  // not x86-64: the class is never supported here, so these are never called.

#define STUB_UNARY(name) \
  void adlab_##name##_v3(long n, const float *x, float *y, const adlab_vector_math_constants *c) { __builtin_trap(); }
STUB_UNARY(vexpf)
STUB_UNARY(vlogf)
STUB_UNARY(vtanhf)
STUB_UNARY(vsigmoidf)
STUB_UNARY(verff)
STUB_UNARY(vsigmoid_float)
STUB_UNARY(vgelu)
STUB_UNARY(vsilu)
void adlab_vgelu_grad_v3(long n, const float *g, const float *x, float *y, const adlab_vector_math_constants *c) {
  __builtin_trap();
}
void adlab_softmax_row_v3(long n, const float *x, float *y, int logarithm, const adlab_vector_math_constants *c) {
  __builtin_trap();
}
void adlab_layer_norm_row_v3(long n, const float *x, const float *gain, const float *bias, float epsilon, float *y,
                             float *mean_out, float *inverse_out) {
  __builtin_trap();
}
float adlab_rms_norm_row_v3(long n, const float *x, const float *weight, float epsilon, float *y) { __builtin_trap(); }
void adlab_adam_v3(long n, float *w, float *m, float *v, const float *g, const adlab_adam_constants *p) {
  __builtin_trap();
}

#endif
