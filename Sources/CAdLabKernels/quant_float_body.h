// The float path of the quantised matrix products, written once with clang vector extensions and
// compiled per kernel class by quant_float_{portable,v3,v4}.c, which define before including it:
//   QF_LANES        floats per vector (8 or 16)
//   QF_ATTR         the function attribute of the class (empty for portable)
//   QF_FMA(a, b, c) a*b + c, fused (one rounding) in the FMA classes, two roundings in portable
//   QF_NAME(base)   the exported name with the class suffix
//   QF_HALF(p)      the fp16 at p as a float (exact in every class)
//
// Contract of every function (documented in CAdLabKernels.h): for each output element (row r, vector v)
// one accumulator of QF_LANES lanes, zero at first; for each 32-weight block in order and each chunk c of
// QF_LANES weights in order: w = dequantised chunk (Q4_1: QF_FMA(q, d, m); Q8_0: q * d), then
// acc = QF_FMA(w, x, acc) lane-wise. The lanes are then summed by halving (lane i += lane i + half, for
// half = QF_LANES/2 ... 1). The tile shape only decides which elements are computed together, never the
// operations of one element, so the result does not depend on the number of rows or vectors in a call.
#include <stdint.h>
#include <string.h>

#pragma clang fp contract(off)

typedef float qf_vec __attribute__((vector_size(QF_LANES * 4)));
typedef uint8_t qf_u8 __attribute__((vector_size(QF_LANES)));
typedef int8_t qf_i8 __attribute__((vector_size(QF_LANES)));

enum { QF_CHUNKS = 32 / QF_LANES, QF_Q41_BYTES = 20, QF_Q80_BYTES = 34 };

#define QF_INLINE static inline QF_ATTR __attribute__((always_inline))

QF_INLINE qf_vec qf_splat(float s) {
  qf_vec v;
  for (int i = 0; i < QF_LANES; i++) v[i] = s;
  return v;
}

QF_INLINE qf_vec qf_load(const float *x) {
  qf_vec v;
  memcpy(&v, x, sizeof v);
  return v;
}

QF_INLINE float qf_hsum(qf_vec v) {
  for (int half = QF_LANES / 2; half >= 1; half /= 2)
    for (int i = 0; i < half; i++) v[i] = v[i] + v[i + half];
  return v[0];
}

// Chunk c of a Q4_1 block: weights c*QF_LANES ..< (c+1)*QF_LANES. Weight j < 16 is the low nibble of
// byte j, weight j >= 16 the high nibble of byte j - 16 (ggml's layout).
QF_INLINE qf_vec qf_q41_chunk(const uint8_t *block, int c, qf_vec d, qf_vec m) {
  qf_u8 bytes;
  memcpy(&bytes, block + 4 + (c * QF_LANES) % 16, sizeof bytes);
  const qf_u8 nibbles = c * QF_LANES >= 16 ? (qf_u8)(bytes >> 4) : (qf_u8)(bytes & 0xF);
  return QF_FMA(__builtin_convertvector(nibbles, qf_vec), d, m);
}

QF_INLINE qf_vec qf_q80_chunk(const uint8_t *block, int c, qf_vec d) {
  qf_i8 q;
  memcpy(&q, block + 2 + c * QF_LANES, sizeof q);
  return __builtin_convertvector(q, qf_vec) * d;
}

// One tile of RT <= 8 rows x VT <= 4 vectors. is_q41 selects the block format; both are compile-time constants
// after inlining, so each instantiation keeps its accumulators in registers.
QF_INLINE void qf_tile(const uint8_t *w, long row_bytes, long nb, const float *x, long ldx, float *y, long ldy,
                       const int RT, const int VT, const int is_q41) {
  // Fixed-size arrays indexed by constants after unrolling, so they live in registers (no VLA).
  qf_vec acc[8][4];
  for (int r = 0; r < RT; r++)
    for (int v = 0; v < VT; v++) acc[r][v] = qf_splat(0);
  const long block_bytes = is_q41 ? QF_Q41_BYTES : QF_Q80_BYTES;
  for (long b = 0; b < nb; b++) {
    qf_vec d[8], m[8];
    for (int r = 0; r < RT; r++) {
      const uint8_t *block = w + r * row_bytes + b * block_bytes;
      d[r] = qf_splat(QF_HALF(block));
      m[r] = qf_splat(is_q41 ? QF_HALF(block + 2) : 0);
    }
    for (int c = 0; c < QF_CHUNKS; c++) {
      qf_vec wv[8];
      for (int r = 0; r < RT; r++) {
        const uint8_t *block = w + r * row_bytes + b * block_bytes;
        wv[r] = is_q41 ? qf_q41_chunk(block, c, d[r], m[r]) : qf_q80_chunk(block, c, d[r]);
      }
      for (int v = 0; v < VT; v++) {
        const qf_vec xv = qf_load(x + v * ldx + b * 32 + c * QF_LANES);
        for (int r = 0; r < RT; r++) acc[r][v] = QF_FMA(wv[r], xv, acc[r][v]);
      }
    }
  }
  for (int r = 0; r < RT; r++)
    for (int v = 0; v < VT; v++) y[v * ldy + r] = qf_hsum(acc[r][v]);
}

// Rows in tiles of QF_TILE_ROWS x QF_TILE_VECS (weights of a row tile stay in L1 while every vector
// passes), single vectors in tiles of QF_SINGLE_ROWS x 1, leftovers one row at a time.
QF_INLINE void qf_matmul(const uint8_t *w, long rows, long k, const float *x, long ldx, long nvec, float *y,
                         long ldy, const int is_q41) {
  const long nb = k / 32;
  const long row_bytes = nb * (is_q41 ? QF_Q41_BYTES : QF_Q80_BYTES);
  long r = 0;
  if (nvec >= QF_TILE_VECS) {
    for (; r + QF_TILE_ROWS <= rows; r += QF_TILE_ROWS) {
      const uint8_t *wr = w + r * row_bytes;
      long v = 0;
      for (; v + QF_TILE_VECS <= nvec; v += QF_TILE_VECS)
        qf_tile(wr, row_bytes, nb, x + v * ldx, ldx, y + v * ldy + r, ldy, QF_TILE_ROWS, QF_TILE_VECS, is_q41);
      for (; v < nvec; v++) qf_tile(wr, row_bytes, nb, x + v * ldx, ldx, y + v * ldy + r, ldy, QF_TILE_ROWS, 1, is_q41);
    }
  } else {
    for (; r + QF_SINGLE_ROWS <= rows; r += QF_SINGLE_ROWS)
      for (long v = 0; v < nvec; v++)
        qf_tile(w + r * row_bytes, row_bytes, nb, x + v * ldx, ldx, y + v * ldy + r, ldy, QF_SINGLE_ROWS, 1, is_q41);
  }
  for (; r < rows; r++)
    for (long v = 0; v < nvec; v++)
      qf_tile(w + r * row_bytes, row_bytes, nb, x + v * ldx, ldx, y + v * ldy + r, ldy, 1, 1, is_q41);
}

QF_ATTR void QF_NAME(adlab_q41_matmul_f32)(const uint8_t *w, long rows, long k, const float *x, long ldx, long nvec,
                                           float *y, long ldy) {
  qf_matmul(w, rows, k, x, ldx, nvec, y, ldy, 1);
}

QF_ATTR void QF_NAME(adlab_q80_matmul_f32)(const uint8_t *w, long rows, long k, const float *x, long ldx, long nvec,
                                           float *y, long ldy) {
  qf_matmul(w, rows, k, x, ldx, nvec, y, ldy, 0);
}
