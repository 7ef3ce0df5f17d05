// Row-vector GEMV for the FMA classes (batch-1 inference: C is 1 x n): c[j] = start(c[j]), then for p in
// 0..<k in order c[j] = fma(alpha*a[p], b[p][j], c[j]) -- exactly the GEMM contract of these classes, so a
// 1-row product gives the same bits through this path as through the blocked one. B streams through once
// (memory-bound), so there is no packing: a block of C columns stays in registers across the whole k loop.
#include "CAdLabKernels.h"

#pragma clang fp contract(off)

#if defined(__x86_64__)
#include <immintrin.h>

#define V3 __attribute__((target("avx2,fma")))
#define V4 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))

// The start value of one C element (the beta step of the contract).
#define START(c, beta) ((beta) == 0 ? 0 : ((beta) == 1 ? (c) : (beta) * (c)))

V4 void adlab_sgemv_row_v4(long n, long k, float alpha, const float *a, long inca, const float *b, long ldb,
                           float beta, float *c) {
  long j = 0;
  for (; j < n; j += 16) {
    const __mmask16 mask = n - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - j)) - 1);
    __m512 acc = _mm512_setzero_ps();
    if (beta != 0) {
      acc = _mm512_maskz_loadu_ps(mask, c + j);
      if (beta != 1) acc = _mm512_mul_ps(_mm512_set1_ps(beta), acc);
    }
    const float *pb = b + j;
    for (long p = 0; p < k; p++) {
      const __m512 s = _mm512_set1_ps(alpha * a[p * inca]);
      acc = _mm512_fmadd_ps(s, _mm512_maskz_loadu_ps(mask, pb), acc);
      pb += ldb;
    }
    _mm512_mask_storeu_ps(c + j, mask, acc);
  }
}

V4 void adlab_dgemv_row_v4(long n, long k, double alpha, const double *a, long inca, const double *b, long ldb,
                           double beta, double *c) {
  for (long j = 0; j < n; j += 8) {
    const __mmask8 mask = n - j >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (n - j)) - 1);
    __m512d acc = _mm512_setzero_pd();
    if (beta != 0) {
      acc = _mm512_maskz_loadu_pd(mask, c + j);
      if (beta != 1) acc = _mm512_mul_pd(_mm512_set1_pd(beta), acc);
    }
    const double *pb = b + j;
    for (long p = 0; p < k; p++) {
      const __m512d s = _mm512_set1_pd(alpha * a[p * inca]);
      acc = _mm512_fmadd_pd(s, _mm512_maskz_loadu_pd(mask, pb), acc);
      pb += ldb;
    }
    _mm512_mask_storeu_pd(c + j, mask, acc);
  }
}

V3 void adlab_sgemv_row_v3(long n, long k, float alpha, const float *a, long inca, const float *b, long ldb,
                           float beta, float *c) {
  long j = 0;
  for (; j + 8 <= n; j += 8) {
    __m256 acc = _mm256_setzero_ps();
    if (beta != 0) {
      acc = _mm256_loadu_ps(c + j);
      if (beta != 1) acc = _mm256_mul_ps(_mm256_set1_ps(beta), acc);
    }
    const float *pb = b + j;
    for (long p = 0; p < k; p++) {
      acc = _mm256_fmadd_ps(_mm256_set1_ps(alpha * a[p * inca]), _mm256_loadu_ps(pb), acc);
      pb += ldb;
    }
    _mm256_storeu_ps(c + j, acc);
  }
  for (; j < n; j++) {  // tail columns: the same operations one lane at a time (scalar FMA instruction)
    __m128 acc = _mm_set_ss(START(c[j], beta));
    for (long p = 0; p < k; p++) {
      acc = _mm_fmadd_ss(_mm_set_ss(alpha * a[p * inca]), _mm_set_ss(b[p * ldb + j]), acc);
    }
    c[j] = _mm_cvtss_f32(acc);
  }
}

V3 void adlab_dgemv_row_v3(long n, long k, double alpha, const double *a, long inca, const double *b, long ldb,
                           double beta, double *c) {
  long j = 0;
  for (; j + 4 <= n; j += 4) {
    __m256d acc = _mm256_setzero_pd();
    if (beta != 0) {
      acc = _mm256_loadu_pd(c + j);
      if (beta != 1) acc = _mm256_mul_pd(_mm256_set1_pd(beta), acc);
    }
    const double *pb = b + j;
    for (long p = 0; p < k; p++) {
      acc = _mm256_fmadd_pd(_mm256_set1_pd(alpha * a[p * inca]), _mm256_loadu_pd(pb), acc);
      pb += ldb;
    }
    _mm256_storeu_pd(c + j, acc);
  }
  for (; j < n; j++) {
    __m128d acc = _mm_set_sd(START(c[j], beta));
    for (long p = 0; p < k; p++) {
      acc = _mm_fmadd_sd(_mm_set_sd(alpha * a[p * inca]), _mm_set_sd(b[p * ldb + j]), acc);
    }
    c[j] = _mm_cvtsd_f64(acc);
  }
}

#else  // not x86-64: the classes are never supported here.

void adlab_sgemv_row_v4(long n, long k, float alpha, const float *a, long inca, const float *b, long ldb, float beta,
                        float *c) { __builtin_trap(); }
void adlab_dgemv_row_v4(long n, long k, double alpha, const double *a, long inca, const double *b, long ldb,
                        double beta, double *c) { __builtin_trap(); }
void adlab_sgemv_row_v3(long n, long k, float alpha, const float *a, long inca, const float *b, long ldb, float beta,
                        float *c) { __builtin_trap(); }
void adlab_dgemv_row_v3(long n, long k, double alpha, const double *a, long inca, const double *b, long ldb,
                        double beta, double *c) { __builtin_trap(); }

#endif
