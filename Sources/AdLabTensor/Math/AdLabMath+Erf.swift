extension AdLabMath {
  /// erf on |x| < 0.84375: x + x·Q(x²).
  @inline(__always) static func erfSmall(_ x: Double) -> Double {
    x + x * horner(C.erfPoly, x * x, count: 17)
  }

  /// erfc(a) for 0.25 ≤ a < 28 as e^(−a²)·erfcx(a), with a² split into an exact head and a tiny tail
  /// (so the exponential sees the argument exactly) and one final scaling by a power of two.
  static func erfcPositive(_ a: Double) -> Double {
    let g: Double
    if a < 5 {
      var piece = 0
      while a >= C.erfcxPieceEnd[piece] { piece += 1 }
      g = horner(C.erfcxPoly, a - C.erfcxPieceCentre[piece], start: piece * 22, count: 22)
    } else {
      g = horner(C.erfcxFar, 1 / a, count: 19) / a
    }
    let h = head26(a)
    let (t, tail, m) = expParts(-(h * h))
    let small = exp(-((a - h) * (a + h)))
    return scale((t + tail) * small * g, m)
  }

  /// The error function. Max error 1 ulp (measured). erf(±0) = ±0, ±1 beyond |x| = 6.
  public static func erf(_ x: Double) -> Double {
    if x.isNaN { return x + x }
    let a = Swift.abs(x)
    if a < 0.84375 { return erfSmall(x) }
    let value = a >= 6 ? 1 : 1 - erfcPositive(a)
    return x < 0 ? -value : value
  }

  /// The complementary error function 1 − erf(x), accurate in the far tail. Max error 2.5 ulp (measured).
  public static func erfc(_ x: Double) -> Double {
    if x.isNaN { return x + x }
    if x < 0.25 {
      if x > -0.84375 { return 1 - erfSmall(x) }
      return x <= -6 ? 2 : 2 - erfcPositive(-x)
    }
    return x >= 28 ? 0 : erfcPositive(x)
  }
}
