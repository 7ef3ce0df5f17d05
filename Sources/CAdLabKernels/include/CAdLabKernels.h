// AdLab's instruction-set-specific kernels (GEMM micro-kernels, vectorised math, row kernels), compiled per function for one
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

// Vectorised AdLabMath and Float row kernels (vector_v3.c, vector_v4.c; bodies in vector_*_body.h).

/// The tables and coefficients of AdLabMath that the vectorised forms read. AdLabTensor fills one copy
/// from AdLabMathCoefficients at first use, so the numbers have one source.
typedef struct adlab_vector_math_constants {
  double exp_reduce_scale, exp_reduce_head, exp_reduce_tail;
  double exp_poly[5];
  double exp_table_head[64];
  double exp_table_tail[64];
  double expm1_poly[12];
  double ln2_head, ln2_tail;
  double log_poly[9];
  double erf_small_poly[8];
  double erf_tail_poly[13];
} adlab_vector_math_constants;

/// One Adam/AdamW step's scalars (see AdamMoments in AdLabTensor).
typedef struct adlab_adam_constants {
  float step_size, correction2, beta1, beta2, one_minus_beta1, one_minus_beta2, epsilon, l2, shrink;
  int decoupled;
} adlab_adam_constants;

// y[i] = f(x[i]) for i < n, bit for bit AdLabMath's scalar Float function (exp, log, tanh, sigmoid, erf),
// and the tensor core's Float sigmoid, GELU (erf form) and SiLU; gelu_grad: y = g·GELU′(x). In place allowed.
#define ADLAB_UNARY_KERNELS(suffix)                                                                    \
  void adlab_vexpf_##suffix(long n, const float *x, float *y, const adlab_vector_math_constants *c);  \
  void adlab_vlogf_##suffix(long n, const float *x, float *y, const adlab_vector_math_constants *c);  \
  void adlab_vtanhf_##suffix(long n, const float *x, float *y, const adlab_vector_math_constants *c); \
  void adlab_vsigmoidf_##suffix(long n, const float *x, float *y, const adlab_vector_math_constants *c); \
  void adlab_verff_##suffix(long n, const float *x, float *y, const adlab_vector_math_constants *c);  \
  void adlab_vsigmoid_float_##suffix(long n, const float *x, float *y, const adlab_vector_math_constants *c); \
  void adlab_vgelu_##suffix(long n, const float *x, float *y, const adlab_vector_math_constants *c);  \
  void adlab_vsilu_##suffix(long n, const float *x, float *y, const adlab_vector_math_constants *c);  \
  void adlab_vgelu_grad_##suffix(long n, const float *g, const float *x, float *y, const adlab_vector_math_constants *c);

// Row kernels (contract in vector_kernels_body.h). softmax: y = softmax(x) or, with logarithm = 1,
// log-softmax; x == y allowed. layer_norm: y = (x − mean)·inverse·gain + bias with mean and variance
// accumulated in double; writes the Float mean and inverse deviation. rms_norm: y = x·inverse·weight,
// returns inverse = 1/√(mean(x²) + ε). adam: one Adam/AdamW step on n weights.
#define ADLAB_ROW_KERNELS(suffix)                                                                      \
  void adlab_softmax_row_##suffix(long n, const float *x, float *y, int logarithm,                     \
                                  const adlab_vector_math_constants *c);                               \
  void adlab_layer_norm_row_##suffix(long n, const float *x, const float *gain, const float *bias,    \
                                     float epsilon, float *y, float *mean_out, float *inverse_out);    \
  float adlab_rms_norm_row_##suffix(long n, const float *x, const float *weight, float epsilon, float *y); \
  void adlab_adam_##suffix(long n, float *w, float *m, float *v, const float *g, const adlab_adam_constants *p);

ADLAB_UNARY_KERNELS(v3)
ADLAB_UNARY_KERNELS(v4)
ADLAB_ROW_KERNELS(v3)
ADLAB_ROW_KERNELS(v4)

// Marsaglia–Tsang gamma attempts (shape constants d, c) on Philox4x32-10 blocks first ..< first + count of the
// key (RandomStream's counter layout), one block per attempt; see gamma_lanes.c. out[i] = d·v³ when the fast
// path decides attempt i, else −1 with the attempt's normal bits and uniform left for the caller; returns how
// many were left, their indices in undecided[] (room for count). zig_x and zig_ratio are the ziggurat tables
// (257 and 256 entries). All variants give the same bits.
long adlab_gamma_lanes_portable(uint32_t key0, uint32_t key1, uint64_t first, long count, double d, double c,
                                const double *zig_x, const double *zig_ratio, double *out, uint64_t *normal_bits,
                                double *uniforms, long *undecided);
long adlab_gamma_lanes_v3(uint32_t key0, uint32_t key1, uint64_t first, long count, double d, double c,
                          const double *zig_x, const double *zig_ratio, double *out, uint64_t *normal_bits,
                          double *uniforms, long *undecided);
long adlab_gamma_lanes_v4(uint32_t key0, uint32_t key1, uint64_t first, long count, double d, double c,
                          const double *zig_x, const double *zig_ratio, double *out, uint64_t *normal_bits,
                          double *uniforms, long *undecided);

// CounterRandom uniforms on Philox lanes (see counter_lanes.c); all variants give the same bits.
// Pairs: out[i] = uniform(key, a[i], b[i]). Rows: out[r * cols + b] = uniform(key, first_a + r, b).
void adlab_counter_uniforms_portable(uint32_t key0, uint32_t key1, const uint64_t *a, const uint64_t *b, long count, double *out);
void adlab_counter_uniforms_v3(uint32_t key0, uint32_t key1, const uint64_t *a, const uint64_t *b, long count, double *out);
void adlab_counter_uniforms_v4(uint32_t key0, uint32_t key1, const uint64_t *a, const uint64_t *b, long count, double *out);
void adlab_counter_uniform_rows_portable(uint32_t key0, uint32_t key1, uint64_t first_a, long rows, long cols, double *out);
void adlab_counter_uniform_rows_v3(uint32_t key0, uint32_t key1, uint64_t first_a, long rows, long cols, double *out);
void adlab_counter_uniform_rows_v4(uint32_t key0, uint32_t key1, uint64_t first_a, long rows, long cols, double *out);

// AdLabMath.log on lanes (see log_lanes.c): out[i] = ln x[i] for positive normal x[i], the scalar function's bits;
// poly is AdLabMath's 9 log coefficients. x and out may be the same array. All variants give the same bits.
void adlab_log_lanes_portable(const double *x, double *out, long count, const double *poly, double ln2_head, double ln2_tail);
void adlab_log_lanes_v3(const double *x, double *out, long count, const double *poly, double ln2_head, double ln2_tail);
void adlab_log_lanes_v4(const double *x, double *out, long count, const double *poly, double ln2_head, double ln2_tail);

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
