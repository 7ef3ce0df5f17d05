// The body of AdLab's Float elementwise and row kernels for the FMA classes, written once over the lane
// macros of vector_v3.c / vector_v4.c and included after vector_math_body.h. The contract each
// function keeps (the Swift reference in the tests repeats it):
// - Row sums are striped: element j goes to lane j mod W (W = 4 for x86-64-v3, 8 for x86-64-v4; lanes
//   start at +0, the tail adds nothing), then lanes fold by halves: l += l + W/2, …, down to lane 0.
// - Where a sum of products or an affine step allows it, one fused multiply-add (one rounding).
// - Transcendental functions are the vectorised AdLabMath above, so the same bits as the scalar forms.

// Lane 0 after folding W partial sums by halves.
static inline double NAME(fold_double, SUFFIX)(double *lanes) {
  for (int half = W / 2; half >= 1; half /= 2)
    for (int l = 0; l < half; l++) lanes[l] = lanes[l] + lanes[l + half];
  return lanes[0];
}
static inline float NAME(fold_float, SUFFIX)(float *lanes) {
  for (int half = W / 2; half >= 1; half /= 2)
    for (int l = 0; l < half; l++) lanes[l] = lanes[l] + lanes[l + half];
  return lanes[0];
}

// The first `count` (< W) floats of p, the other lanes `fill`.
TARGET static inline VF NAME(load_partial, SUFFIX)(const float *p, long count, float fill) {
  float lanes[W];
  for (long l = 0; l < W; l++) lanes[l] = l < count ? p[l] : fill;
  return LOADF(lanes);
}
TARGET static inline void NAME(store_partial, SUFFIX)(float *p, long count, VF v) {
  float lanes[W];
  STOREF(lanes, v);
  for (long l = 0; l < count; l++) p[l] = lanes[l];
}

// The tensor core's sigmoid on Float lanes: 1/(1 + e^−x) for x ≥ 0, e^x/(1 + e^x) below, e in Float.
TARGET static inline VF NAME(sigmoid_float_lanes, SUFFIX)(const adlab_vector_math_constants *c, VF x) {
  const VF e = NAME(expf_lanes, SUFFIX)(c, NEGF(ABSF(x)));
  const VF onePlus = ADDF(SETF(1.0f), e);
  return FSEL(GEF(x, SETF(0.0f)), DIVF(SETF(1.0f), onePlus), DIVF(e, onePlus));
}

// GELU, erf form: (0.5·x)·(1 + erf(x·(1/√2))) in Float.
TARGET static inline VF NAME(gelu_lanes, SUFFIX)(const adlab_vector_math_constants *c, VF x) {
  const VF erf = NAME(erff_lanes, SUFFIX)(c, MULF(x, SETF(0.70710678118654752440f)));
  return MULF(MULF(SETF(0.5f), x), ADDF(SETF(1.0f), erf));
}

// SiLU: x·sigmoid(x).
TARGET static inline VF NAME(silu_lanes, SUFFIX)(const adlab_vector_math_constants *c, VF x) {
  return MULF(x, NAME(sigmoid_float_lanes, SUFFIX)(c, x));
}

BATCH(vsigmoid_float, NAME(sigmoid_float_lanes, SUFFIX))
BATCH(vgelu, NAME(gelu_lanes, SUFFIX))
BATCH(vsilu, NAME(silu_lanes, SUFFIX))

TARGET void NAME(adlab_softmax_row_, SUFFIX)(long n, const float *x, float *y, int logarithm,
                                            const adlab_vector_math_constants *c) {
  // The maximum, NaN winning as in the scalar loop (max is exact, so its order does not matter otherwise).
  float m = -__builtin_inff();
  for (long j = 0; j < n; j++)
    if (x[j] > m || x[j] != x[j]) m = x[j];
  if (m == -__builtin_inff()) m = 0;  // all −∞: e^(x − m) = 0 rather than NaN
  const VF vm = SETF(m);
  VF acc = SETF(0.0f);
  long j = 0;
  for (; j + W <= n; j += W) {
    const VF e = NAME(expf_lanes, SUFFIX)(c, SUBF(LOADF(x + j), vm));
    if (!logarithm) STOREF(y + j, e);
    acc = ADDF(acc, e);
  }
  if (j < n) {
    // −∞ padding: e^(−∞) = +0 adds nothing.
    const VF e = NAME(expf_lanes, SUFFIX)(c, SUBF(NAME(load_partial, SUFFIX)(x + j, n - j, -__builtin_inff()), vm));
    if (!logarithm) NAME(store_partial, SUFFIX)(y + j, n - j, e);
    acc = ADDF(acc, e);
  }
  float lanes[W];
  STOREF(lanes, acc);
  const float s = NAME(fold_float, SUFFIX)(lanes);
  if (logarithm) {
    float logs[W];
    STOREF(logs, NAME(logf_lanes, SUFFIX)(c, SETF(s)));
    const float shift = m + logs[0];
    for (long k = 0; k < n; k++) y[k] = x[k] - shift;
  } else {
    const float scale = 1 / s;
    for (long k = 0; k < n; k++) y[k] = y[k] * scale;
  }
}

TARGET void NAME(adlab_layer_norm_row_, SUFFIX)(long n, const float *x, const float *gain, const float *bias,
                                               float epsilon, float *y, float *mean_out, float *inverse_out) {
  VD acc = SET(0.0);
  long j = 0;
  for (; j + W <= n; j += W) acc = ADD(acc, TOD(LOADF(x + j)));
  if (j < n) acc = ADD(acc, TOD(NAME(load_partial, SUFFIX)(x + j, n - j, 0.0f)));
  double lanes[W];
  STORED(lanes, acc);
  const double mean = NAME(fold_double, SUFFIX)(lanes) / (double)n;
  const VD vmean = SET(mean);
  VD squares = SET(0.0);
  for (j = 0; j + W <= n; j += W) {
    const VD centred = SUB(TOD(LOADF(x + j)), vmean);
    squares = FMAD(centred, centred, squares);
  }
  if (j < n) {
    // Padded lanes would add (0 − mean)², so only the real lanes take the step.
    const VD centred = SUB(TOD(NAME(load_partial, SUFFIX)(x + j, n - j, 0.0f)), vmean);
    const MASK real = LT(SET_LANE_INDEX(), SET((double)(n - j)));
    squares = SEL(real, FMAD(centred, centred, squares), squares);
  }
  STORED(lanes, squares);
  const double variance = NAME(fold_double, SUFFIX)(lanes) / (double)n;
  const float inverse = (float)(1 / __builtin_sqrt(variance + (double)epsilon));
  const float mean32 = (float)mean;
  const VF vmean32 = SETF(mean32), vinverse = SETF(inverse);
  for (j = 0; j + W <= n; j += W)
    STOREF(y + j, FMAF(MULF(SUBF(LOADF(x + j), vmean32), vinverse), LOADF(gain + j), LOADF(bias + j)));
  for (; j < n; j++) y[j] = __builtin_fmaf((x[j] - mean32) * inverse, gain[j], bias[j]);
  *mean_out = mean32;
  *inverse_out = inverse;
}

TARGET float NAME(adlab_rms_norm_row_, SUFFIX)(long n, const float *x, const float *weight, float epsilon,
                                              float *y) {
  VD squares = SET(0.0);
  long j = 0;
  for (; j + W <= n; j += W) {
    const VD v = TOD(LOADF(x + j));
    squares = FMAD(v, v, squares);
  }
  if (j < n) {
    const VD v = TOD(NAME(load_partial, SUFFIX)(x + j, n - j, 0.0f));
    squares = FMAD(v, v, squares);  // padded lanes add fma(+0, +0, s) = s
  }
  double lanes[W];
  STORED(lanes, squares);
  const double meanSquare = NAME(fold_double, SUFFIX)(lanes) / (double)n;
  const float inverse = (float)(1 / __builtin_sqrt(meanSquare + (double)epsilon));
  const VF vinverse = SETF(inverse);
  for (j = 0; j + W <= n; j += W) STOREF(y + j, MULF(MULF(LOADF(x + j), vinverse), LOADF(weight + j)));
  for (; j < n; j++) y[j] = (x[j] * inverse) * weight[j];
  return inverse;
}

TARGET void NAME(adlab_adam_, SUFFIX)(long n, float *w, float *m, float *v, const float *g,
                                     const adlab_adam_constants *p) {
  const VF shrink = SETF(p->shrink), l2 = SETF(p->l2), b1 = SETF(p->beta1), b2 = SETF(p->beta2);
  const VF c1 = SETF(p->one_minus_beta1), c2 = SETF(p->one_minus_beta2), stepSize = SETF(p->step_size);
  const VF correction2 = SETF(p->correction2), eps = SETF(p->epsilon);
  long j = 0;
  for (; j + W <= n; j += W) {
    VF weight = LOADF(w + j);
    if (p->decoupled) weight = MULF(weight, shrink);
    const VF grad = FMAF(l2, weight, LOADF(g + j));
    const VF first = FMAF(b1, LOADF(m + j), MULF(c1, grad));
    const VF second = FMAF(b2, LOADF(v + j), MULF(c2, MULF(grad, grad)));
    const VF denominator = ADDF(DIVF(SQRTF(second), correction2), eps);
    STOREF(m + j, first);
    STOREF(v + j, second);
    STOREF(w + j, SUBF(weight, DIVF(MULF(stepSize, first), denominator)));
  }
  for (; j < n; j++) {
    float weight = w[j];
    if (p->decoupled) weight = weight * p->shrink;
    const float grad = __builtin_fmaf(p->l2, weight, g[j]);
    const float first = __builtin_fmaf(p->beta1, m[j], p->one_minus_beta1 * grad);
    const float second = __builtin_fmaf(p->beta2, v[j], p->one_minus_beta2 * (grad * grad));
    m[j] = first;
    v[j] = second;
    w[j] = weight - (p->step_size * first) / (__builtin_sqrtf(second) / p->correction2 + p->epsilon);
  }
}

// GELU's derivative times the upstream gradient (the tensor core's GELUGrad):
// g · (0.5·(1 + erf(x·(1/√2))) + x · (0.3989…·e^((−0.5·x)·x))), in Float.
TARGET void NAME(adlab_vgelu_grad_, SUFFIX)(long n, const float *g, const float *x, float *y,
                                           const adlab_vector_math_constants *c) {
  long i = 0;
  for (; i + W <= n; i += W) {
    const VF v = LOADF(x + i);
    const VF cdf = MULF(SETF(0.5f), ADDF(SETF(1.0f), NAME(erff_lanes, SUFFIX)(c, MULF(v, SETF(0.70710678118654752440f)))));
    const VF pdf = MULF(SETF(0.39894228040143267794f), NAME(expf_lanes, SUFFIX)(c, MULF(MULF(SETF(-0.5f), v), v)));
    STOREF(y + i, MULF(LOADF(g + i), ADDF(cdf, MULF(v, pdf))));
  }
  if (i < n) {
    const VF v = NAME(load_partial, SUFFIX)(x + i, n - i, 0.0f);
    const VF cdf = MULF(SETF(0.5f), ADDF(SETF(1.0f), NAME(erff_lanes, SUFFIX)(c, MULF(v, SETF(0.70710678118654752440f)))));
    const VF pdf = MULF(SETF(0.39894228040143267794f), NAME(expf_lanes, SUFFIX)(c, MULF(MULF(SETF(-0.5f), v), v)));
    NAME(store_partial, SUFFIX)(y + i, n - i, MULF(NAME(load_partial, SUFFIX)(g + i, n - i, 0.0f), ADDF(cdf, MULF(v, pdf))));
  }
}
