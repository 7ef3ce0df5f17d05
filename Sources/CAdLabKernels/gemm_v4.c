// x86-64-v4 (AVX-512) GEMM micro-kernels: 16 floats / 8 doubles per zmm register, 32 registers.
// A 12 x (2 vectors) tile is 24 accumulators + 2 B vectors; the A element is broadcast from
// memory straight into the FMA. 24 independent FMA chains cover Zen 5's 2 x 512-bit FMA pipes
// (latency 4), and each k step does 2 vector loads + 12 broadcasts per 24 FMAs.
#include "CAdLabKernels.h"

// Never let the compiler fuse a multiply and an add by itself: the only FMAs are the explicit
// _mm512_fmadd_* below, so every class keeps its documented order and rounding.
#pragma clang fp contract(off)

#if defined(__x86_64__)
#include <immintrin.h>

#define V4 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))

V4 void adlab_sgemm_v4_12x32(long kc, const float *a, const float *b, float *c, long ldc, float beta,
                             int start) {
  enum { MR = 12 };
  __m512 lo[MR], hi[MR];
  const __m512 vbeta = _mm512_set1_ps(beta);
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; i++) {
    if (start == 0) {
      lo[i] = _mm512_setzero_ps();
      hi[i] = _mm512_setzero_ps();
    } else {
      lo[i] = _mm512_loadu_ps(c + i * ldc);
      hi[i] = _mm512_loadu_ps(c + i * ldc + 16);
      if (start == 1) {
        lo[i] = _mm512_mul_ps(vbeta, lo[i]);
        hi[i] = _mm512_mul_ps(vbeta, hi[i]);
      }
    }
  }
  for (long p = 0; p < kc; p++) {
    const __m512 b0 = _mm512_loadu_ps(b);
    const __m512 b1 = _mm512_loadu_ps(b + 16);
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; i++) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      lo[i] = _mm512_fmadd_ps(ai, b0, lo[i]);
      hi[i] = _mm512_fmadd_ps(ai, b1, hi[i]);
    }
    a += MR;
    b += 32;
  }
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; i++) {
    _mm512_storeu_ps(c + i * ldc, lo[i]);
    _mm512_storeu_ps(c + i * ldc + 16, hi[i]);
  }
}

V4 void adlab_dgemm_v4_12x16(long kc, const double *a, const double *b, double *c, long ldc, double beta,
                             int start) {
  enum { MR = 12 };
  __m512d lo[MR], hi[MR];
  const __m512d vbeta = _mm512_set1_pd(beta);
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; i++) {
    if (start == 0) {
      lo[i] = _mm512_setzero_pd();
      hi[i] = _mm512_setzero_pd();
    } else {
      lo[i] = _mm512_loadu_pd(c + i * ldc);
      hi[i] = _mm512_loadu_pd(c + i * ldc + 8);
      if (start == 1) {
        lo[i] = _mm512_mul_pd(vbeta, lo[i]);
        hi[i] = _mm512_mul_pd(vbeta, hi[i]);
      }
    }
  }
  for (long p = 0; p < kc; p++) {
    const __m512d b0 = _mm512_loadu_pd(b);
    const __m512d b1 = _mm512_loadu_pd(b + 8);
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; i++) {
      const __m512d ai = _mm512_set1_pd(a[i]);
      lo[i] = _mm512_fmadd_pd(ai, b0, lo[i]);
      hi[i] = _mm512_fmadd_pd(ai, b1, hi[i]);
    }
    a += MR;
    b += 16;
  }
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; i++) {
    _mm512_storeu_pd(c + i * ldc, lo[i]);
    _mm512_storeu_pd(c + i * ldc + 8, hi[i]);
  }
}

#else  // not x86-64: the class is never supported here, so these are never called.

void adlab_sgemm_v4_12x32(long kc, const float *a, const float *b, float *c, long ldc, float beta, int start) {
  __builtin_trap();
}
void adlab_dgemm_v4_12x16(long kc, const double *a, const double *b, double *c, long ldc, double beta, int start) {
  __builtin_trap();
}

#endif
