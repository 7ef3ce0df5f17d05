// x86-64-v3 (AVX2 + FMA) GEMM micro-kernels: 8 floats / 4 doubles per ymm register, 16 registers.
// A 6 x (2 vectors) tile is 12 accumulators + 2 B vectors + 1 broadcast A = 15 registers, and
// 12 independent FMA chains cover the FMA latency (4 cycles x 2 pipes needs at least 8).
#include "CAdLabKernels.h"

// Never let the compiler fuse a multiply and an add by itself: the only FMAs are the explicit
// _mm256_fmadd_* below, so every class keeps its documented order and rounding.
#pragma clang fp contract(off)

#if defined(__x86_64__)
#include <immintrin.h>

#define V3 __attribute__((target("avx2,fma")))

V3 void adlab_sgemm_v3_6x16(long kc, const float *a, const float *b, float *c, long ldc, float beta,
                            int start) {
  enum { MR = 6 };
  __m256 lo[MR], hi[MR];
  const __m256 vbeta = _mm256_set1_ps(beta);
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; i++) {
    if (start == 0) {
      lo[i] = _mm256_setzero_ps();
      hi[i] = _mm256_setzero_ps();
    } else {
      lo[i] = _mm256_loadu_ps(c + i * ldc);
      hi[i] = _mm256_loadu_ps(c + i * ldc + 8);
      if (start == 1) {
        lo[i] = _mm256_mul_ps(vbeta, lo[i]);
        hi[i] = _mm256_mul_ps(vbeta, hi[i]);
      }
    }
  }
  for (long p = 0; p < kc; p++) {
    const __m256 b0 = _mm256_loadu_ps(b);
    const __m256 b1 = _mm256_loadu_ps(b + 8);
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; i++) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      lo[i] = _mm256_fmadd_ps(ai, b0, lo[i]);
      hi[i] = _mm256_fmadd_ps(ai, b1, hi[i]);
    }
    a += MR;
    b += 16;
  }
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; i++) {
    _mm256_storeu_ps(c + i * ldc, lo[i]);
    _mm256_storeu_ps(c + i * ldc + 8, hi[i]);
  }
}

V3 void adlab_dgemm_v3_6x8(long kc, const double *a, const double *b, double *c, long ldc, double beta,
                           int start) {
  enum { MR = 6 };
  __m256d lo[MR], hi[MR];
  const __m256d vbeta = _mm256_set1_pd(beta);
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; i++) {
    if (start == 0) {
      lo[i] = _mm256_setzero_pd();
      hi[i] = _mm256_setzero_pd();
    } else {
      lo[i] = _mm256_loadu_pd(c + i * ldc);
      hi[i] = _mm256_loadu_pd(c + i * ldc + 4);
      if (start == 1) {
        lo[i] = _mm256_mul_pd(vbeta, lo[i]);
        hi[i] = _mm256_mul_pd(vbeta, hi[i]);
      }
    }
  }
  for (long p = 0; p < kc; p++) {
    const __m256d b0 = _mm256_loadu_pd(b);
    const __m256d b1 = _mm256_loadu_pd(b + 4);
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; i++) {
      const __m256d ai = _mm256_broadcast_sd(a + i);
      lo[i] = _mm256_fmadd_pd(ai, b0, lo[i]);
      hi[i] = _mm256_fmadd_pd(ai, b1, hi[i]);
    }
    a += MR;
    b += 8;
  }
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; i++) {
    _mm256_storeu_pd(c + i * ldc, lo[i]);
    _mm256_storeu_pd(c + i * ldc + 4, hi[i]);
  }
}

#else  // not x86-64: the class is never supported here, so these are never called.

void adlab_sgemm_v3_6x16(long kc, const float *a, const float *b, float *c, long ldc, float beta, int start) {
  __builtin_trap();
}
void adlab_dgemm_v3_6x8(long kc, const double *a, const double *b, double *c, long ldc, double beta, int start) {
  __builtin_trap();
}

#endif
