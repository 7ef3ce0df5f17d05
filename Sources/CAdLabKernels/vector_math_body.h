// The body of AdLab's vectorised math, written once over a small set of lane macros and included by
// vector_v3.c (4 double lanes, AVX2) and vector_v4.c (8 double lanes, AVX-512). Each function
// repeats AdLabMath's scalar Swift form operation for operation: the same reduction, table, polynomial and
// Horner order, separate multiply and add (no FMA: `fp contract(off)` in the including file). So every lane
// gets the bits the scalar function gives, in every class. Branches of the scalar form become computed-
// then-selected lanes; each lane's result comes from its own branch only.
//
// The including file defines: TARGET, SUFFIX, W (double lanes), VD (W doubles), VF (W floats), VI (W int32),
// MASK, and the operations used below.

#define NAME2(a, b) a##b
#define NAME(a, b) NAME2(a, b)

// Horner evaluation of c[0 ..< count] (lowest degree first) at x: p = c[count-1]; p = p·x + c[i] downwards.
TARGET static inline VD NAME(horner, SUFFIX)(const double *c, int count, VD x) {
  VD p = SET(c[count - 1]);
  for (int i = count - 2; i >= 0; i--) p = ADD(MUL(p, x), SET(c[i]));
  return p;
}

// AdLabMath.expParts: x = k·ln2/64 + r, e^x = 2^(k>>6) · (head[k&63] + tail). Needs |x| < 708 so that
// 2^(k>>6) is a normal number (callers clamp or select).
TARGET static inline VD NAME(exp_parts, SUFFIX)(const adlab_vector_math_constants *c, VD x, VD *tail, VD *power) {
  const VD kd = ROUND(MUL(x, SET(c->exp_reduce_scale)));
  const VI k = TOI(kd);
  const VD r = SUB(SUB(x, MUL(kd, SET(c->exp_reduce_head))), MUL(kd, SET(c->exp_reduce_tail)));
  const VD p = ADD(r, MUL(MUL(r, r), NAME(horner, SUFFIX)(c->exp_poly, 5, r)));
  const VI j = IAND63(k);
  const VD t = GATHER(c->exp_table_head, j);
  *tail = ADD(GATHER(c->exp_table_tail, j), MUL(t, p));
  *power = POW2(ISRA6(k));
  return t;
}

// AdLabMath.exp for arguments whose result is normal (the scale step's common path).
TARGET static inline VD NAME(exp_normal, SUFFIX)(const adlab_vector_math_constants *c, VD x) {
  VD tail, power;
  const VD t = NAME(exp_parts, SUFFIX)(c, x, &tail, &power);
  return MUL(ADD(t, tail), power);
}

// AdLabMath.expm1 for −2 < x < 44 (tanh's range): the polynomial for |x| ≤ ¼, else 2^m·head − 1 summed
// exactly (Fast2Sum) plus the small terms.
TARGET static inline VD NAME(expm1_mid, SUFFIX)(const adlab_vector_math_constants *c, VD x) {
  const VD near = ADD(x, MUL(MUL(x, x), NAME(horner, SUFFIX)(c->expm1_poly, 12, x)));
  VD tail, power;
  const VD t = NAME(exp_parts, SUFFIX)(c, x, &tail, &power);
  const VD s = MUL(t, power);
  const VD hi = SUB(s, SET(1.0));
  // err = m < 0 ? s − (hi + 1) : 0, and m < 0 exactly when 2^m < 1.
  const VD err = SEL(LT(power, SET(1.0)), SUB(s, ADD(hi, SET(1.0))), SET(0.0));
  const VD far = ADD(hi, ADD(err, MUL(tail, power)));
  return SEL(LE(ABS(x), SET(0.25)), near, far);
}

// Float(AdLabMath.exp(Double(x))). Arguments beyond [−110, 90] give +0 or +∞ in Float either way, so they are
// clamped first; NaN lanes return x + x as the scalar form does.
TARGET static inline VF NAME(expf_lanes, SUFFIX)(const adlab_vector_math_constants *c, VF xf) {
  const VD x = TOD(xf);
  const VD clamped = MIN(MAX(x, SET(-110.0)), SET(90.0));
  const VD y = NAME(exp_normal, SUFFIX)(c, clamped);
  return TOF(SEL(ISNAN(x), ADD(x, x), y));
}

// Float(AdLabMath.log(Double(x))): a Float is a normal Double, so the split is a bit extraction.
TARGET static inline VF NAME(logf_lanes, SUFFIX)(const adlab_vector_math_constants *c, VF xf) {
  const VD x = TOD(xf);
  // Significand m in [1, 2) and exponent k (as a double, exact); zero, infinity and NaN lanes are replaced below.
  VD m = MANTISSA(x);
  VD kd = EXPONENT_D(x);
  const MASK high = GT(m, SET(1.4142135623730951));
  m = SEL(high, MUL(m, SET(0.5)), m);
  kd = SEL(high, ADD(kd, SET(1.0)), kd);
  const VD f = SUB(m, SET(1.0));
  const VD halfSquare = MUL(MUL(SET(0.5), f), f);
  const VD s = DIV(f, ADD(SET(2.0), f));
  const VD z = MUL(s, s);
  const VD r = MUL(z, NAME(horner, SUFFIX)(c->log_poly, 9, z));
  // The scalar form adds its correction term c = 0 here; kept, since −0 + 0 = +0 matters for the bits.
  const VD inner = SUB(halfSquare, ADD(MUL(s, ADD(halfSquare, r)), ADD(MUL(kd, SET(c->ln2_tail)), SET(0.0))));
  VD y = SUB(MUL(kd, SET(c->ln2_head)), SUB(inner, f));
  y = SEL(EQ(x, SET(0.0)), SET(-__builtin_inf()), y);
  y = SEL(EQ(x, SET(__builtin_inf())), x, y);
  y = SEL(LT(x, SET(0.0)), SET(__builtin_nan("")), y);
  return TOF(SEL(ISNAN(x), ADD(x, x), y));
}

// Float(AdLabMath.tanh(Double(x))).
TARGET static inline VF NAME(tanhf_lanes, SUFFIX)(const adlab_vector_math_constants *c, VF xf) {
  const VD x = TOD(xf);
  const VD a = MIN(ABS(x), SET(22.0));  // clamped lanes (a ≥ 22) are replaced by 1 below
  const VD big = NAME(expm1_mid, SUFFIX)(c, ADD(a, a));
  const VD rBig = SUB(SET(1.0), DIV(SET(2.0), ADD(big, SET(2.0))));
  const VD t = NAME(expm1_mid, SUFFIX)(c, MUL(SET(-2.0), a));
  const VD rSmall = DIV(NEG(t), ADD(t, SET(2.0)));
  VD r = SEL(GE(a, SET(1.0)), rBig, rSmall);
  r = SEL(GE(a, SET(22.0)), SET(1.0), r);
  r = SEL(LT(x, SET(0.0)), NEG(r), r);
  r = SEL(LT(ABS(x), SET(0x1p-28)), x, r);
  return TOF(SEL(ISNAN(x), ADD(x, x), r));
}

// Float(AdLabMath.sigmoid(Double(x))): 1/(1 + e^−x) for x ≥ 0, e^x/(1 + e^x) below. e^−|x| under e^−120 gives
// exactly 1 or +0 in Float in both branches, so the exponent's argument is clamped there.
TARGET static inline VF NAME(sigmoidf_lanes, SUFFIX)(const adlab_vector_math_constants *c, VF xf) {
  const VD x = TOD(xf);
  const VD e = NAME(exp_normal, SUFFIX)(c, MAX(NEG(ABS(x)), SET(-120.0)));
  const VD onePlus = ADD(SET(1.0), e);
  const VD y = SEL(GE(x, SET(0.0)), DIV(SET(1.0), onePlus), DIV(e, onePlus));
  return TOF(SEL(ISNAN(x), ADD(x, x), y));
}

// AdLabMath.erf(Float): x·P(x²) below 1, 1 − e^(−x²)·Q(1/x) below 4, else 1; sign of x; NaN returns x.
TARGET static inline VF NAME(erff_lanes, SUFFIX)(const adlab_vector_math_constants *c, VF xf) {
  const VD x = TOD(xf);
  const VD ax = ABS(x);
  const VD small = MUL(ax, NAME(horner, SUFFIX)(c->erf_small_poly, 8, MUL(ax, ax)));
  const VD mid = MIN(MAX(ax, SET(1.0)), SET(4.0));  // lanes outside [1, 4) are not selected
  const VD q = NAME(horner, SUFFIX)(c->erf_tail_poly, 13, DIV(SET(1.0), mid));
  const VD e = NAME(exp_normal, SUFFIX)(c, NEG(MUL(mid, mid)));
  VD r = SEL(LT(ax, SET(1.0)), small, SEL(LT(ax, SET(4.0)), SUB(SET(1.0), MUL(e, q)), SET(1.0)));
  r = COPYSIGN(r, x);
  const VF y = TOF(r);
  return FSEL(FISNAN(xf), xf, y);
}

// The batch entry points: whole vectors, then the tail through a zero-padded vector.
#define BATCH(function, lanes)                                                                       \
  TARGET void NAME(NAME(adlab_, function), NAME(_, SUFFIX))(long n, const float *x, float *y,         \
                                                             const adlab_vector_math_constants *c) { \
    long i = 0;                                                                                      \
    for (; i + W <= n; i += W) STOREF(y + i, lanes(c, LOADF(x + i)));                                \
    if (i < n) {                                                                                     \
      float in[W] = {0}, out[W];                                                                     \
      for (long j = 0; j < n - i; j++) in[j] = x[i + j];                                             \
      STOREF(out, lanes(c, LOADF(in)));                                                              \
      for (long j = 0; j < n - i; j++) y[i + j] = out[j];                                            \
    }                                                                                                \
  }

BATCH(vexpf, NAME(expf_lanes, SUFFIX))
BATCH(vlogf, NAME(logf_lanes, SUFFIX))
BATCH(vtanhf, NAME(tanhf_lanes, SUFFIX))
BATCH(vsigmoidf, NAME(sigmoidf_lanes, SUFFIX))
BATCH(verff, NAME(erff_lanes, SUFFIX))
