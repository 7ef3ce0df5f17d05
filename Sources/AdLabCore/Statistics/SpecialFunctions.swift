import AdLabTensor
import Foundation

/// Special functions behind the distribution code: log-gamma, log-beta, the
/// regularized incomplete beta function and the regularized incomplete gamma
/// functions.
///
/// Everything is deterministic (fixed iteration order, no parallelism), so
/// results are bit-identical from run to run on the same platform.
///
/// Accuracy targets are ~1e-14 relative in the ranges used by the t, normal and
/// chi-squared distributions, including arguments of order 1e6 (the degrees of
/// freedom of large Welch tests), where a naive `lgamma(a) + lgamma(b) -
/// lgamma(a + b)` would lose most of its digits to cancellation.
enum SpecialFunctions {
  /// Relative stopping tolerance of the series and continued fractions.
  static let tolerance = 1e-16

  /// Iteration cap of the series and continued fractions. Convergence takes
  /// O(√max(a, b)) steps, so this covers parameters up to ~1e10.
  static let maxIterations = 1_000_000

  /// Smallest magnitude allowed for a partial denominator in modified Lentz
  /// (keeps the recurrence away from a division by zero).
  static let lentzFloor = 1e-300

  /// ½·log(2π).
  static let halfLogTwoPi = 0.918_938_533_204_672_741_78

  /// ln Γ(x) for x > 0, using the re-entrant C library implementation
  /// (`lgamma_r`; the plain `lgamma` writes the global `signgam`).
  static func logGamma(_ x: Double) -> Double {
    let value = AdLabMath.lgamma(x)
    return value
  }

  /// Stirling remainder δ(x) = ln Γ(x) − [(x − ½)·ln x − x + ½·ln(2π)] for x ≥ 10,
  /// from the asymptotic series δ(x) = Σₖ B₂ₖ / (2k(2k−1)·x^(2k−1)), k = 1…8
  /// (truncation error < 1e-17 for x ≥ 10).
  static func stirlingRemainder(_ x: Double) -> Double {
    precondition(x >= 10, "stirlingRemainder needs x >= 10")
    // B₂ₖ / (2k(2k−1)) for k = 8 down to 1 (Horner order in 1/x²).
    let coefficients: [Double] = [
      -3617.0 / 122_400.0, 1.0 / 156.0, -691.0 / 360_360.0, 1.0 / 1188.0,
      -1.0 / 1680.0, 1.0 / 1260.0, -1.0 / 360.0, 1.0 / 12.0,
    ]
    let inverse = 1 / x
    let inverseSquared = inverse * inverse
    var sum = 0.0
    for coefficient in coefficients {
      sum = sum * inverseSquared + coefficient
    }
    return sum * inverse
  }

  /// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0.
  ///
  /// With p = min(a, b), q = max(a, b) and q ≥ 10 the large Γ terms are
  /// cancelled analytically via Stirling's formula:
  /// - p ≥ 10: ln B = ½ln(2π) − (q − ½)·log1p(p/q) + (p − ½)·ln p − p·ln(p + q) + δ(p) + δ(q) − δ(p + q)
  /// - p < 10: ln B = ln Γ(p) + p − (q − ½)·log1p(p/q) − p·ln(p + q) + δ(q) − δ(p + q)
  static func logBeta(_ a: Double, _ b: Double) -> Double {
    let p = min(a, b)
    let q = max(a, b)
    guard q >= 10 else {
      return logGamma(a) + logGamma(b) - logGamma(a + b)
    }
    let sum = p + q
    let shared =
      -(q - 0.5) * AdLabMath.log1p(p / q) - p * AdLabMath.log(sum)
      + stirlingRemainder(q) - stirlingRemainder(sum)
    if p >= 10 {
      return halfLogTwoPi + shared + (p - 0.5) * AdLabMath.log(p) + stirlingRemainder(p)
    }
    return logGamma(p) + p + shared
  }

  /// Regularized incomplete beta function with its complement:
  /// `lower` = I_x(a, b) = B(x; a, b) / B(a, b) and `upper` = 1 − I_x(a, b) = I_y(b, a).
  ///
  /// `y` must be 1 − x, supplied by the caller so that it can be computed without
  /// cancellation (for example y = t²/(ν + t²) for the t distribution); `logX` and
  /// `logY` optionally supply ln x and ln y when x or y underflows. Of the
  /// two results, the one computed directly is accurate to ~1e-15 relative even
  /// when tiny; the other one is 1 − (that one).
  ///
  /// Continued fraction (evaluated by modified Lentz):
  ///
  ///     I_x(a, b) = x^a·y^b / (a·B(a, b)) · 1/(1 + d₁/(1 + d₂/(1 + …)))
  ///     d₂ₘ₊₁ = −(a + m)(a + b + m)·x / ((a + 2m)(a + 2m + 1))
  ///     d₂ₘ   = m(b − m)·x / ((a + 2m − 1)(a + 2m))
  ///
  /// It converges quickly for x < (a + 1)/(a + b + 2); otherwise the symmetry
  /// I_x(a, b) = 1 − I_y(b, a) is used and the fraction is evaluated for (y; b, a).
  static func incompleteBeta(
    x: Double, y: Double, a: Double, b: Double, logX: Double? = nil, logY: Double? = nil
  ) -> (lower: Double, upper: Double) {
    guard !x.isNaN, !y.isNaN, a > 0, b > 0, x >= 0, y >= 0 else { return (.nan, .nan) }
    // ln x and ln y from whichever of x, y is smaller (ln x = log1p(−y) when x > ½),
    // so that a·ln x stays accurate for huge a; callers may pass them when x or y
    // underflows (e.g. x = ν/t² for the t distribution at t ~ 1e200).
    let lnX = logX ?? (x <= 0.5 ? AdLabMath.log(x) : AdLabMath.log1p(-y))
    let lnY = logY ?? (y <= 0.5 ? AdLabMath.log(y) : AdLabMath.log1p(-x))
    if lnX == -.infinity { return (0, 1) }
    if lnY == -.infinity { return (1, 0) }
    if x < (a + 1) / (a + b + 2) {
      let direct = betaContinuedFractionTerm(x: x, logX: lnX, logY: lnY, a: a, b: b)
      return (direct, 1 - direct)
    }
    let swapped = betaContinuedFractionTerm(x: y, logX: lnY, logY: lnX, a: b, b: a)
    return (1 - swapped, swapped)
  }

  /// I_x(a, b) = 1 − I_y(b, a) with y = 1 − x computed here (use `incompleteBeta(x:y:a:b:)`
  /// when 1 − x suffers cancellation).
  static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
    incompleteBeta(x: x, y: 1 - x, a: a, b: b).lower
  }

  /// exp(a·ln x + b·ln y) / (a·B(a, b)) times the continued fraction above; callers
  /// guarantee x < (a + 1)/(a + b + 2).
  private static func betaContinuedFractionTerm(
    x: Double, logX: Double, logY: Double, a: Double, b: Double
  ) -> Double {
    let logPrefactor = a * logX + b * logY - logBeta(a, b) - AdLabMath.log(a)
    let prefactor = AdLabMath.exp(logPrefactor)
    if prefactor == 0 { return 0 }

    // Modified Lentz for 1/(1 + d₁/(1 + d₂/(1 + …))): f = C·D products.
    var c = 1.0
    var d = floored(1 - (a + b) * x / (a + 1))
    d = 1 / d
    var fraction = d
    var m = 1
    while m <= maxIterations {
      let mm = Double(m)
      let twoM = 2 * mm
      // Even coefficient d₂ₘ.
      let even = mm * (b - mm) * x / ((a + twoM - 1) * (a + twoM))
      d = 1 / floored(1 + even * d)
      c = floored(1 + even / c)
      fraction *= d * c
      // Odd coefficient d₂ₘ₊₁.
      let odd = -(a + mm) * (a + b + mm) * x / ((a + twoM) * (a + twoM + 1))
      d = 1 / floored(1 + odd * d)
      c = floored(1 + odd / c)
      let delta = d * c
      fraction *= delta
      if abs(delta - 1) <= tolerance { break }
      m += 1
    }
    return prefactor * fraction
  }

  /// Replaces a Lentz partial denominator that is (nearly) zero by a tiny number.
  @inline(__always)
  private static func floored(_ value: Double) -> Double {
    abs(value) < lentzFloor ? lentzFloor : value
  }

  /// Regularized lower incomplete gamma P(a, x) = γ(a, x)/Γ(a) for a > 0, x ≥ 0.
  static func regularizedLowerGamma(_ a: Double, _ x: Double) -> Double {
    incompleteGamma(a: a, x: x).lower
  }

  /// Regularized upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a) = 1 − P(a, x).
  static func regularizedUpperGamma(_ a: Double, _ x: Double) -> Double {
    incompleteGamma(a: a, x: x).upper
  }

  /// P(a, x) and Q(a, x) together. For x < a + 1 the series
  ///
  ///     P(a, x) = x^a·e^(−x)/Γ(a + 1) · Σₙ xⁿ / ((a + 1)(a + 2)…(a + n))
  ///
  /// is summed and Q = 1 − P; otherwise Q is the continued fraction
  ///
  ///     Q(a, x) = x^a·e^(−x)/Γ(a) · 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − 2·(2 − a)/(x + 5 − a − …)))
  ///
  /// (modified Lentz) and P = 1 − Q. The directly computed value is accurate
  /// to ~1e-15 relative even when tiny (chi-squared p-values).
  static func incompleteGamma(a: Double, x: Double) -> (lower: Double, upper: Double) {
    guard !a.isNaN, !x.isNaN, a > 0, x >= 0 else { return (.nan, .nan) }
    if x == 0 { return (0, 1) }
    if x == .infinity { return (1, 0) }
    let prefactor = AdLabMath.exp(logGammaPrefactor(a: a, x: x))
    if x < a + 1 {
      var term = 1 / a
      var sum = term
      var denominator = a
      for _ in 0..<maxIterations {
        denominator += 1
        term *= x / denominator
        sum += term
        if abs(term) <= abs(sum) * tolerance { break }
      }
      let lower = prefactor * sum
      return (lower, 1 - lower)
    }
    var b = x + 1 - a
    var c = 1 / lentzFloor
    var d = 1 / b
    var fraction = d
    var i = 1
    while i <= maxIterations {
      let ii = Double(i)
      let an = -ii * (ii - a)
      b += 2
      d = 1 / floored(an * d + b)
      c = floored(b + an / c)
      let delta = d * c
      fraction *= delta
      if abs(delta - 1) <= tolerance { break }
      i += 1
    }
    let upper = prefactor * fraction
    return (1 - upper, upper)
  }

  /// ln(x^a·e^(−x)/Γ(a)). For a ≥ 10 the Stirling form
  /// a·(log1p(r) − r) + ½·ln a − ½·ln(2π) − δ(a), with r = (x − a)/a, avoids the
  /// cancellation between a·ln x, x and ln Γ(a) (all ≈ a·ln a when x ≈ a);
  /// a·(log1p(r) − r) is a·ln(x/a) − (x − a) unless |r| < 0.1 (then a series).
  private static func logGammaPrefactor(a: Double, x: Double) -> Double {
    guard a >= 10 else {
      return a * AdLabMath.log(x) - x - logGamma(a)
    }
    let r = (x - a) / a
    let core = abs(r) < 0.1 ? a * log1pMinusX(r) : a * AdLabMath.log(x / a) - (x - a)
    return core + 0.5 * AdLabMath.log(a) - halfLogTwoPi - stirlingRemainder(a)
  }

  /// log1p(r) − r without cancellation for small |r| (series −r²/2 + r³/3 − …).
  static func log1pMinusX(_ r: Double) -> Double {
    guard abs(r) < 0.1 else { return AdLabMath.log1p(r) - r }
    // Σ_{k≥2} (−1)^(k+1) r^k / k, 24 terms: |r|^24/24 < 1e-25.
    var sum = 0.0
    var power = r * r
    var sign = -1.0
    for k in 2...25 {
      sum += sign * power / Double(k)
      power *= r
      sign = -sign
    }
    return sum
  }
}
