extension AdLabMath {
  /// ln|Γ(x)| for 0.5 ≤ x < 10 from the fitted pieces (on [½, 3] as (x−1)(x−2)·h(x), exact zeros at 1 and 2).
  @inline(__always) static func logGammaMiddle(_ x: Double) -> Double {
    if x < 3 {
      let piece = Swift.min(Int((x - 0.5) * 2), 4)
      let u = x - (0.75 + 0.5 * Double(piece))
      return (x - 1) * (x - 2) * horner(C.lgammaNearPoly, u, start: piece * 22, count: 22)
    }
    let piece = Swift.min(Int(x) - 3, 6)
    return horner(C.lgammaMidPoly, x - (3.5 + Double(piece)), start: piece * 20, count: 20)
  }

  /// ln|Γ(x)|. Max error (measured): 1 ulp for x > 0 away from the zeros, ≤ 2 ulp for x ≥ 10 (Stirling);
  /// for x < 0 via reflection, accurate in absolute terms (near its zeros only absolutely). Poles give +∞.
  public static func lgamma(_ x: Double) -> Double {
    if x.isNaN { return x + x }
    if x.isInfinite { return .infinity }
    if x <= 0 {
      if x == x.rounded(.towardZero) { return .infinity }
      if x > -0x1p-70 { return -log(-x) }
      // Γ(x)·Γ(−x) = −π/(x·sin πx).
      return C.logPi - log(Swift.abs(x * sinPi(x))) - lgamma(-x)
    }
    if x < 0x1p-70 { return -log(x) }
    if x < 0.5 { return logGammaMiddle(x + 1) - log(x) }
    if x < 10 { return logGammaMiddle(x) }
    let w = 1 / x
    let series = w * horner(C.stirlingPoly, w * w, count: 8)
    return (x - 0.5) * (log(x) - 1) + ((C.halfLogTwoPi - 0.5) + series)
  }
}
