extension AdLabMath {
  /// ln(2^k·(1 + f)) − c-corrected, for √½ ≤ 1 + f < √2: s = f/(2 + f), ln(1 + f) = f − f²/2 + s·(f²/2 + R(s²)).
  ///
  /// `c` is the rounding error of 1 + f relative to it (log1p); the order of operations keeps the large terms
  /// exact until the last subtraction.
  @inline(__always) static func logReduced(_ f: Double, _ k: Int, correction c: Double) -> Double {
    let halfSquare = 0.5 * f * f
    let s = f / (2 + f)
    let z = s * s
    let r = z * horner(C.logPoly, z, count: 9)
    let kd = Double(k)
    return kd * C.ln2Head - ((halfSquare - (s * (halfSquare + r) + (kd * C.ln2Tail + c))) - f)
  }

  /// Splits positive finite `x` into 2^k·m with √½ ≤ m < √2 (exactly).
  @inline(__always) static func splitForLog(_ x: Double) -> (m: Double, k: Int) {
    var m = x.significand
    var k = Int(x.exponent)
    if m > 1.4142135623730951 {
      m *= 0.5
      k += 1
    }
    return (m, k)
  }

  /// Natural logarithm. Max error 0.6 ulp (measured). log(±0) = −∞, log(x < 0) = NaN.
  public static func log(_ x: Double) -> Double {
    if x.isNaN { return x + x }
    if x < 0 { return .nan }
    if x == 0 { return -.infinity }
    if x == .infinity { return x }
    let (m, k) = splitForLog(x)
    return logReduced(m - 1, k, correction: 0)
  }

  /// ln(1 + x), accurate near 0. Max error 0.6 ulp (measured). log1p(−1) = −∞, below −1 NaN.
  public static func log1p(_ x: Double) -> Double {
    if x.isNaN { return x + x }
    if x < -1 { return .nan }
    if x == -1 { return -.infinity }
    if x == .infinity { return x }
    if Swift.abs(x) < 0x1p-54 { return x }
    if x > -0.2928932188134524 && x < 0.41421356237309503 { return logReduced(x, 0, correction: 0) }
    let u = 1 + x
    let (m, k) = splitForLog(u)
    // u = 1 + x rounded; c/u is the relative error of that rounding, which log(u) must add back.
    var c = 0.0
    // (u − x is exact when u ≥ 2, u − 1 when u < 2.)
    if k < 54 { c = (u >= 2 ? 1 - (u - x) : x - (u - 1)) / u }
    return logReduced(m - 1, k, correction: c)
  }
}
