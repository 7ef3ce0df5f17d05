// AdLab's instruction-set-specific kernels (GEMM micro-kernels), compiled per function for one
// x86-64 level each and chosen at run time by AdLabTensor's KernelClass. Internal to AdLabTensor:
// Swift imports this module with `internal import`, so no C type reaches AdLab's public API.
#ifndef CADLAB_KERNELS_H
#define CADLAB_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU (and OS) can run the x86-64-v3 kernels (AVX2, FMA, BMI1/2, F16C, LZCNT, MOVBE).
int adlab_cpu_supports_x86_64_v3(void);
/// 1 when this CPU can run the x86-64-v4 kernels (v3 plus AVX-512 F, BW, VL, DQ).
int adlab_cpu_supports_x86_64_v4(void);
/// 1 when this CPU can run the x86-64-v4 kernels and has AVX-512 VNNI. Not a class of its own: the kernels that
/// use it (the 8-bit-activation products) compute exact integer sums, so VNNI changes their speed, never bits.
int adlab_cpu_supports_avx512_vnni(void);

// GEMM micro-kernels. Each updates one MR x NR row-major tile of C (row stride ldc) from a packed
// A micro-panel (for each p in 0..<kc: MR scalars, alpha already applied) and a packed B sliver
// (for each p: NR contiguous scalars). start: 0 = c starts at 0, 1 = c starts at beta*C,
// 2 = c starts at C. Then for p in 0..<kc, in order: c = fma(a[p], b[p], c) (one rounding).
// Tiles: sgemm v3 6x16, dgemm v3 6x8, sgemm v4 12x32, dgemm v4 12x16.
// On a CPU without the class's instructions they must not be called (they trap).
void adlab_sgemm_v3_6x16(long kc, const float *a, const float *b, float *c, long ldc, float beta, int start);
void adlab_dgemm_v3_6x8(long kc, const double *a, const double *b, double *c, long ldc, double beta, int start);
void adlab_sgemm_v4_12x32(long kc, const float *a, const float *b, float *c, long ldc, float beta, int start);
void adlab_dgemm_v4_12x16(long kc, const double *a, const double *b, double *c, long ldc, double beta, int start);

// Row-vector GEMV (C is 1 x n, B row-major k x n with row stride ldb, a[p] at a + p*inca), same contract
// per element as the GEMM kernels of the class: c = start(c); for p: c = fma(alpha*a[p], b[p][j], c).
void adlab_sgemv_row_v3(long n, long k, float alpha, const float *a, long inca, const float *b, long ldb, float beta, float *c);
void adlab_dgemv_row_v3(long n, long k, double alpha, const double *a, long inca, const double *b, long ldb, double beta, double *c);
void adlab_sgemv_row_v4(long n, long k, float alpha, const float *a, long inca, const float *b, long ldb, float beta, float *c);
void adlab_dgemv_row_v4(long n, long k, double alpha, const double *a, long inca, const double *b, long ldb, double beta, double *c);

// Quantised matrix times many vectors, float path (weights dequantised on the fly; quant_float_body.h):
// y[v*ldy + r] = dot(row r of w, x + v*ldx) for r < rows, v < nvec. w holds `rows` rows of k/32 ggml blocks
// (Q4_1: fp16 d, fp16 m, 16 bytes of nibbles, weight = q*d + m; Q8_0: fp16 d, 32 int8, weight = q*d);
// k is a multiple of 32. Each element's order is fixed per class (8 lanes portable and v3, 16 lanes v4;
// fused multiply-add in v3 and v4), whatever rows and nvec are.
void adlab_q41_matmul_f32_portable(const uint8_t *w, long rows, long k, const float *x, long ldx, long nvec, float *y, long ldy);
void adlab_q80_matmul_f32_portable(const uint8_t *w, long rows, long k, const float *x, long ldx, long nvec, float *y, long ldy);
void adlab_q41_matmul_f32_v3(const uint8_t *w, long rows, long k, const float *x, long ldx, long nvec, float *y, long ldy);
void adlab_q80_matmul_f32_v3(const uint8_t *w, long rows, long k, const float *x, long ldx, long nvec, float *y, long ldy);
void adlab_q41_matmul_f32_v4(const uint8_t *w, long rows, long k, const float *x, long ldx, long nvec, float *y, long ldy);
void adlab_q80_matmul_f32_v4(const uint8_t *w, long rows, long k, const float *x, long ldx, long nvec, float *y, long ldy);

// Quantised matrix times many vectors, 8-bit-activation path (quant_int8.c has the per-element contract):
// y[v*ldy + r] = dot(row r of w, vector v) for r < rows, v < nvec; w as above (is_q41: 1 for Q4_1, 0 for Q8_0);
// vector v is k int8 codes at qx + v*k with, per block b, scale dx[v*(k/32) + b] and dx * sum(codes) in sx.
// v3 and v4 give the same bits; portable differs only by rounding the multiply-adds separately.
void adlab_quant_matmul_q8_portable(const uint8_t *w, int is_q41, long rows, long k, const int8_t *qx, const float *dx, const float *sx, long nvec, float *y, long ldy);
void adlab_quant_matmul_q8_v3(const uint8_t *w, int is_q41, long rows, long k, const int8_t *qx, const float *dx, const float *sx, long nvec, float *y, long ldy);
void adlab_quant_matmul_q8_v4(const uint8_t *w, int is_q41, long rows, long k, const int8_t *qx, const float *dx, const float *sx, long nvec, float *y, long ldy);

#ifdef __cplusplus
}
#endif

#endif
