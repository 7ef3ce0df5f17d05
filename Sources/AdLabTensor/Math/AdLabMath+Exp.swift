extension AdLabMath {
  /// e^x split as `2^m · (head + tail)` with `head = 2^(j/64)` from the table and `|tail| ≲ 0.006·head`.
  ///
  /// Reduction: x = k·ln2/64 + r with k = round(64x/ln2), `k·head(ln2/64)` exact (Cody–Waite), |r| ≤ ln2/128;
  /// e^r − 1 from a degree-6 polynomial. Valid for |x| < 2^16.
  @inline(__always) static func expParts(_ x: Double) -> (head: Double, tail: Double, exponent: Int) {
    let kd = (x * C.expReduceScale).rounded(.toNearestOrEven)
    let k = Int(kd)
    let r = (x - kd * C.expReduceHead) - kd * C.expReduceTail
    let p = r + r * r * horner(C.expPoly, r, count: 5)
    let j = k & 63
    let t = C.expTableHead[j]
    return (t, C.expTableTail[j] + t * p, k >> 6)
  }

  /// e^x. Max error 0.51 ulp (measured; subnormal results ≤ 1 ulp). exp(±0) = 1, overflow to +∞ above
  /// 709.78, underflow to 0 below −745.13.
  public static func exp(_ x: Double) -> Double {
    if x.isNaN { return x + x }
    if x > 710 { return .infinity }
    if x < -746 { return 0 }
    let (t, tail, m) = expParts(x)
    return scale(t + tail, m)
  }

  /// 2^x. Max error 0.51 ulp (measured). Exact for integer x in range.
  public static func exp2(_ x: Double) -> Double {
    if x.isNaN { return x + x }
    if x > 1025 { return .infinity }
    if x < -1076 { return 0 }
    // x = k/64 + d exactly (d is a multiple of x's ulp and |d| ≤ 1/128), then e^(d·ln2).
    let kd = (x * 64).rounded(.toNearestOrEven)
    let k = Int(kd)
    let d = x - kd / 64
    let r = d * C.ln2Head + d * C.ln2Tail
    let p = r + r * r * horner(C.expPoly, r, count: 5)
    let j = k & 63
    let t = C.expTableHead[j]
    return scale(t + (C.expTableTail[j] + t * p), k >> 6)
  }

  /// e^x − 1, accurate near 0. Max error 0.6 ulp (measured).
  public static func expm1(_ x: Double) -> Double {
    if x.isNaN { return x + x }
    if x > 710 { return .infinity }
    if x < -40 { return -1 }  // e^−40 < ½ ulp(1)
    let a = Swift.abs(x)
    if a <= 0.25 {
      if a < 0x1p-54 { return x }
      return x + x * x * horner(C.expm1Poly, x, count: 12)
    }
    // 2^m·head − 1 as an exact sum hi + err (Fast2Sum, |−1| ≥ 2^m·head when m < 0; exact outright for
    // m ≥ 0), so the only roundings left are in the small terms and the final sum.
    let (t, tail, m) = expParts(x)
    let s = scale(t, m)
    let hi = s - 1
    let err = m < 0 ? s - (hi + 1) : 0
    return hi + (err + scale(tail, m))
  }

  /// 1/(1 + e^−x) without overflow for any x. Max error 1.3 ulp (measured).
  public static func sigmoid(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + exp(-x)) }
    let e = exp(x)
    return e / (1 + e)
  }

  /// Hyperbolic tangent via expm1. Max error 1.6 ulp (measured). tanh(±0) = ±0, ±1 beyond |x| = 22.
  public static func tanh(_ x: Double) -> Double {
    if x.isNaN { return x + x }
    let a = Swift.abs(x)
    let r: Double
    if a < 0x1p-28 {
      return x
    } else if a >= 22 {
      r = 1
    } else if a >= 1 {
      r = 1 - 2 / (expm1(2 * a) + 2)
    } else {
      let t = expm1(-2 * a)
      r = -t / (t + 2)
    }
    return x < 0 ? -r : r
  }

  /// `x^n` for an integer power by binary powering (a fixed sequence of multiplications).
  /// Error grows like log₂|n| ulp; exact when every intermediate is representable (e.g. 10^k for k ≤ 22).
  /// A negative power is the reciprocal of the positive one, so it underflows once x^|n| overflows.
  public static func pow(_ x: Double, _ n: Int) -> Double {
    var base = x
    var remaining = n.magnitude
    var result = 1.0
    while remaining > 0 {
      if remaining & 1 == 1 { result *= base }
      remaining >>= 1
      if remaining > 0 { base *= base }
    }
    return n < 0 ? 1 / result : result
  }
}
