import AdLabTensor
import Foundation

/// The standard normal distribution N(0, 1).
///
/// Φ(x) = ½·erfc(−x/√2); the quantile Φ⁻¹ is accurate to ~1e-15 relative for
/// every p in (0, 1), including p down to the smallest subnormal.
public enum StandardNormal {
  /// ½·ln(2π).
  static let halfLogTwoPi = SpecialFunctions.halfLogTwoPi

  /// Φ(x) = P(Z ≤ x) = ½·erfc(−x/√2). Accurate relative to its value in the lower
  /// tail (x ≪ 0), so use `cdf(-x)` rather than `1 - cdf(x)` for upper tails.
  public static func cdf(_ x: Double) -> Double {
    0.5 * AdLabMath.erfc(-x / 2.0.squareRoot())
  }

  /// ln Φ(x). For x < −37 (Φ < 6e-300, where erfc approaches the subnormal
  /// range) it uses the asymptotic expansion
  /// Φ(x) = φ(x)/|x| · (1 − 1/x² + 3/x⁴ − 15/x⁶ + … + (−1)ᵏ(2k−1)!!/x²ᵏ), k ≤ 7.
  static func logCDF(_ x: Double) -> Double {
    guard x < -37 else { return AdLabMath.log(cdf(x)) }
    let inverseSquared = 1 / (x * x)
    var series = 1.0
    var term = 1.0
    for k in 1...7 {
      term *= -Double(2 * k - 1) * inverseSquared
      series += term
    }
    return -0.5 * x * x - halfLogTwoPi - AdLabMath.log(-x) + AdLabMath.log(series)
  }

  /// Φ⁻¹(p), the x with Φ(x) = p. Returns −∞ for p = 0, +∞ for p = 1 and NaN
  /// outside [0, 1].
  ///
  /// Acklam's rational approximation (relative error < 1.15e-9) followed by one
  /// Halley step on Φ(x) − p, written in relative form so it cannot overflow:
  ///
  ///     u = (Φ(x)/p − 1) · p/φ(x),  p/φ(x) = exp(ln p + x²/2 + ½·ln 2π)
  ///     x ← x − u / (1 + x·u/2)
  ///
  /// For p > ½ the lower-tail quantile of 1 − p (exact in floating point) is
  /// negated. Below Φ(−37) a Newton step on ln Φ(x) − ln p is used instead,
  /// since erfc would be subnormal there.
  public static func quantile(_ p: Double) -> Double {
    guard p >= 0, p <= 1 else { return .nan }
    if p == 0 { return -.infinity }
    if p == 1 { return .infinity }
    let q = min(p, 1 - p)  // exact: Sterbenz for p ≥ ½
    var x = acklamLowerHalf(q)
    if x < -37 {
      // Newton on g(x) = ln Φ(x) − ln q, g'(x) = φ(x)/Φ(x).
      for _ in 0..<2 {
        let logPhi = logCDF(x)
        let slope = AdLabMath.exp(-0.5 * x * x - halfLogTwoPi - logPhi)
        x -= (logPhi - AdLabMath.log(q)) / slope
      }
    } else {
      let u = (cdf(x) / q - 1) * AdLabMath.exp(AdLabMath.log(q) + 0.5 * x * x + halfLogTwoPi)
      x -= u / (1 + 0.5 * x * u)
    }
    return p > 0.5 ? -x : x
  }

  /// Acklam's approximation of Φ⁻¹(q) for 0 < q ≤ ½ (relative error < 1.15e-9):
  /// a rational function of r = (q − ½)² in the centre and of s = √(−2·ln q) in the tail
  /// (q < 0.02425).
  private static func acklamLowerHalf(_ q: Double) -> Double {
    if q < 0.02425 {
      let s = (-2 * AdLabMath.log(q)).squareRoot()
      let numerator =
        ((((-7.784894002430293e-03 * s - 3.223964580411365e-01) * s
          - 2.400758277161838e+00) * s - 2.549732539343734e+00) * s
          + 4.374664141464968e+00) * s + 2.938163982698783e+00
      let denominator =
        (((7.784695709041462e-03 * s + 3.224671290700398e-01) * s
          + 2.445134137142996e+00) * s + 3.754408661907416e+00) * s + 1
      return numerator / denominator
    }
    let centred = q - 0.5
    let r = centred * centred
    let numerator =
      (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r
        - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r
        - 3.066479806614716e+01) * r + 2.506628277459239e+00) * centred
    let denominator =
      ((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r
        - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r
        - 1.328068155288572e+01) * r + 1
    return numerator / denominator
  }
}

/// Student's t distribution with ν > 0 degrees of freedom (ν need not be an
/// integer: Welch's test uses the Welch–Satterthwaite ν). ν = +∞ is the standard
/// normal.
///
/// Tail probabilities come from the regularized incomplete beta function,
///
///     P(|T| > |t|) = I_x(ν/2, ½),   P(0 < T < |t|) = ½·I_y(½, ν/2),
///     x = ν/(ν + t²), y = t²/(ν + t²),
///
/// each evaluated directly (never as 1 − something), so tiny p-values keep full
/// relative accuracy (~1e-13 or better, verified against 50-digit mpmath). For
/// ν ≥ 2·10⁴ (large Welch tests) Hill's normalizing expansion replaces the
/// continued fraction (see `Kernel.hillThreshold`); ν = 1 uses the exact Cauchy
/// formulas.
public enum StudentT {
  /// F(t) = P(T ≤ t). Returns NaN for NaN input or ν ≤ 0.
  public static func cdf(_ t: Double, degreesOfFreedom: Double) -> Double {
    guard let kernel = Kernel(degreesOfFreedom), !t.isNaN else { return .nan }
    let (central, tail) = kernel.probabilities(abs(t))
    return t < 0 ? tail : 0.5 + central
  }

  /// Upper tail P(T > t) = 1 − F(t) = F(−t), computed without cancellation.
  public static func survival(_ t: Double, degreesOfFreedom: Double) -> Double {
    cdf(-t, degreesOfFreedom: degreesOfFreedom)
  }

  /// Two-sided p-value P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, ½), accurate for tiny values.
  public static func twoSidedPValue(_ t: Double, degreesOfFreedom: Double) -> Double {
    guard let kernel = Kernel(degreesOfFreedom), !t.isNaN else { return .nan }
    let p = 2 * kernel.probabilities(abs(t)).tail
    return p > 1 ? 1 : p  // not min(1, ·), which would turn NaN into 1
  }

  /// Density f(t) = (1 + t²/ν)^(−(ν+1)/2) / (√ν · B(ν/2, ½)).
  public static func density(_ t: Double, degreesOfFreedom: Double) -> Double {
    guard let kernel = Kernel(degreesOfFreedom), !t.isNaN else { return .nan }
    return AdLabMath.exp(kernel.logDensity(abs(t)))
  }

  /// F⁻¹(p): the t with F(t) = p, accurate to ~1e-13 relative. Returns −∞ / +∞
  /// for p = 0 / 1 and NaN for p outside [0, 1] or ν ≤ 0.
  ///
  /// ν = 1 and ν = 2 use the closed forms t = cot(πq) and t = (1 − 2q)/√(2q(1 − q))
  /// (q = min(p, 1 − p)). Otherwise: start from the Cornish–Fisher expansion
  /// t ≈ z + g₁(z)/ν + g₂(z)/ν² + g₃(z)/ν³ + g₄(z)/ν⁴ (z = |Φ⁻¹(q)|), capped by the
  /// upper bound t* = √ν·(q·ν·B(ν/2, ½))^(−1/ν) (the root of the power-law tail
  /// approximation, which dominates the true tail), then run a safeguarded Newton
  /// iteration in s = ln t on ln P(T > t) = ln q (or, for q ≥ ¼, on
  /// ln P(0 < T < t) = ln(½ − q)), falling back to bisection inside the bracket.
  public static func quantile(_ p: Double, degreesOfFreedom: Double) -> Double {
    guard let kernel = Kernel(degreesOfFreedom), p >= 0, p <= 1 else { return .nan }
    if p == 0 { return -.infinity }
    if p == 1 { return .infinity }
    if p == 0.5 { return 0 }
    if kernel.nu == .infinity { return StandardNormal.quantile(p) }
    let q = min(p, 1 - p)  // exact: Sterbenz for p ≥ ½
    let magnitude = kernel.upperQuantile(q)
    return p < 0.5 ? -magnitude : magnitude
  }

  /// Precomputed pieces of the t distribution for one ν.
  struct Kernel {
    /// Degrees of freedom ν.
    let nu: Double
    /// ln B(ν/2, ½).
    let logBeta: Double

    /// nil for invalid ν (NaN or ≤ 0).
    init?(_ nu: Double) {
      guard nu > 0 else { return nil }
      self.nu = nu
      self.logBeta = nu.isFinite ? SpecialFunctions.logBeta(0.5 * nu, 0.5) : 0
    }

    /// (P(0 < T < t), P(T > t)) for t ≥ 0; both are computed without cancellation
    /// when small.
    func probabilities(_ t: Double) -> (central: Double, tail: Double) {
      if nu == .infinity {
        return (0.5 * AdLabMath.erf(t / 2.0.squareRoot()), StandardNormal.cdf(-t))
      }
      if nu == 1 {
        // Cauchy: P(T > t) = atan(1/t)/π, P(0 < T < t) = atan(t)/π.
        return (AdLabMath.atan(t) / Double.pi, AdLabMath.atan2(1, t) / Double.pi)
      }
      if nu >= Self.hillThreshold {
        let z = hillNormalDeviate(t)
        return (0.5 * AdLabMath.erf(z / 2.0.squareRoot()), 0.5 * AdLabMath.erfc(z / 2.0.squareRoot()))
      }
      // x = ν/(ν + t²), y = t²/(ν + t²) and their logarithms, without overflow of
      // t² (x itself may underflow for t ≳ 1e154·√ν while ln x stays exact).
      let x: Double, y: Double, logX: Double, logY: Double
      if t * t <= nu {
        let u = t * t / nu
        x = 1 / (1 + u)
        y = u / (1 + u)
        logX = -AdLabMath.log1p(u)
        logY = AdLabMath.log(u) - AdLabMath.log1p(u)
      } else {
        let v = nu / t / t
        x = v / (1 + v)
        y = 1 / (1 + v)
        logX = AdLabMath.log(nu) - 2 * AdLabMath.log(t) - AdLabMath.log1p(v)
        logY = -AdLabMath.log1p(v)
      }
      let beta = SpecialFunctions.incompleteBeta(
        x: x, y: y, a: 0.5 * nu, b: 0.5, logX: logX, logY: logY)
      return (0.5 * beta.upper, 0.5 * beta.lower)
    }

    /// From this ν on, tail probabilities use Hill's normalizing expansion instead
    /// of the incomplete beta continued fraction. The fraction needs O(√ν)
    /// terms and, for x = ν/(ν + t²) → 1, its partial denominators 1 + dₖ cancel,
    /// costing ~1e-13 relative at ν = 1e5 and ~1e-6 at ν = 1e10. Hill's expansion
    /// has relative error O(ν⁻⁶): checked against 50-digit mpmath, < 6e-13 at
    /// ν = 1e4 and < 1e-14 at ν = 2e4 for every t with P(T > t) > 1e-300, and far
    /// smaller for moderate t.
    static let hillThreshold = 2e4

    /// Hill's (CACM Algorithm 395, 1970) normal deviate z with P(T > t) ≈ Φ(−z), t ≥ 0:
    ///
    ///     a = ν − ½,  b = 48a²,  y = a·ln(1 + t²/ν),
    ///     z = √y · (1 + (y + 3 − (0.4y³ + 3.3y² + 24y + 85.5)/(0.8y² + 100 + b))/b)
    func hillNormalDeviate(_ t: Double) -> Double {
      let a = nu - 0.5
      let b = 48 * a * a
      let y = a * logOnePlusSquareRatio(t)
      let correction = (((-0.4 * y - 3.3) * y - 24) * y - 85.5) / (0.8 * y * y + 100 + b)
      return (1 + (y + 3 + correction) / b) * y.squareRoot()
    }

    /// ln(1 + t²/ν) without overflow of t².
    func logOnePlusSquareRatio(_ t: Double) -> Double {
      t * t <= nu ? AdLabMath.log1p(t * t / nu) : 2 * AdLabMath.log(t) - AdLabMath.log(nu) + AdLabMath.log1p(nu / t / t)
    }

    /// ln f(t) = −(ν+1)/2 · ln(1 + t²/ν) − ½·ln ν − ln B(ν/2, ½), for t ≥ 0.
    func logDensity(_ t: Double) -> Double {
      if nu == .infinity { return -0.5 * t * t - SpecialFunctions.halfLogTwoPi }
      return -0.5 * (nu + 1) * logOnePlusSquareRatio(t) - 0.5 * AdLabMath.log(nu) - logBeta
    }

    /// The t > 0 with P(T > t) = q, for 0 < q < ½.
    func upperQuantile(_ q: Double) -> Double {
      if nu == 1 {
        // tan through AdLab's own sin and cos, so the quantile does not depend on the platform's libm.
        let angle = q < 0.25 ? Double.pi * q : Double.pi * (0.5 - q)
        let tangent = AdLabMath.sin(angle) / AdLabMath.cos(angle)
        return q < 0.25 ? 1 / tangent : tangent
      }
      if nu == 2 {
        return (1 - 2 * q) / (2 * q * (1 - q)).squareRoot()
      }
      let logQ = AdLabMath.log(q)
      // Upper bound t*: the power-law tail ν^(ν/2−1)·t^(−ν)/B(ν/2, ½) ≥ P(T > t).
      let logUpperBound = 0.5 * AdLabMath.log(nu) - (logQ + AdLabMath.log(nu) + logBeta) / nu
      let start = cornishFisherStart(q)
      var s = (start > 0 && start.isFinite) ? min(AdLabMath.log(start), logUpperBound) : logUpperBound

      // Solve g(s) = 0 with g increasing in s = ln t.
      let useCentral = q >= 0.25
      let logTarget = useCentral ? AdLabMath.log(0.5 - q) : logQ
      var low = -Double.infinity
      var high = logUpperBound
      for _ in 0..<200 {
        let t = AdLabMath.exp(s)
        let (central, tail) = probabilities(t)
        let logProbability = AdLabMath.log(useCentral ? central : tail)
        let g = useCentral ? logProbability - logTarget : logTarget - logProbability
        if g == 0 { return t }
        if g < 0 { low = s } else { high = s }
        // dg/ds = f(t)·t / P for both branches.
        let slope = AdLabMath.exp(logDensity(t) + s - logProbability)
        let newton = s - g / slope
        let scale = 1e-15 * max(1, abs(s))
        if abs(newton - s) <= scale {
          s = newton  // converged (quadratically): accept the last Newton point
          break
        }
        s =
          (newton > low && newton < high)
          ? newton
          : (low.isFinite ? 0.5 * (low + high) : min(s, high) - 2)
        if high - low <= scale { break }
      }
      return AdLabMath.exp(s)
    }

    /// Cornish–Fisher start t ≈ z + g₁/ν + g₂/ν² + g₃/ν³ + g₄/ν⁴ with z = −Φ⁻¹(q) > 0
    /// (Abramowitz & Stegun 26.7.5):
    /// g₁ = (z³ + z)/4, g₂ = (5z⁵ + 16z³ + 3z)/96, g₃ = (3z⁷ + 19z⁵ + 17z³ − 15z)/384,
    /// g₄ = (79z⁹ + 776z⁷ + 1482z⁵ − 1920z³ − 945z)/92160.
    private func cornishFisherStart(_ q: Double) -> Double {
      let z = -StandardNormal.quantile(q)
      let z2 = z * z
      let g1 = z * (z2 + 1) / 4
      let g2 = z * ((5 * z2 + 16) * z2 + 3) / 96
      let g3 = z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / 384
      let g4 = z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / 92160
      return z + (g1 + (g2 + (g3 + g4 / nu) / nu) / nu) / nu
    }
  }
}

/// The chi-squared distribution with k > 0 degrees of freedom (k may be
/// non-integer): P(X² ≤ x) = P(k/2, x/2), the regularized lower incomplete gamma.
public enum ChiSquared {
  /// Upper tail P(X² > x) = Q(k/2, x/2), computed directly (accurate for tiny
  /// p-values). Returns 1 for x ≤ 0 and NaN for NaN input or k ≤ 0.
  public static func survival(_ x: Double, degreesOfFreedom: Double) -> Double {
    guard !x.isNaN, degreesOfFreedom > 0 else { return .nan }
    if x <= 0 { return 1 }
    return SpecialFunctions.incompleteGamma(a: 0.5 * degreesOfFreedom, x: 0.5 * x).upper
  }

  /// P(X² ≤ x) = P(k/2, x/2). Returns 0 for x ≤ 0 and NaN for NaN input or k ≤ 0.
  public static func cdf(_ x: Double, degreesOfFreedom: Double) -> Double {
    guard !x.isNaN, degreesOfFreedom > 0 else { return .nan }
    if x <= 0 { return 0 }
    return SpecialFunctions.incompleteGamma(a: 0.5 * degreesOfFreedom, x: 0.5 * x).lower
  }
}

/// The Beta distribution's CDF, for plugins that reason about Beta posteriors (e.g. Thompson sampling's
/// probability that an ad is the best).
public enum BetaDistribution {
  /// P(X ≤ x) for X ~ Beta(alpha, beta): the regularized incomplete beta function I_x(alpha, beta).
  public static func cdf(_ x: Double, alpha: Double, beta: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    return SpecialFunctions.regularizedIncompleteBeta(x, a: alpha, b: beta)
  }
}
