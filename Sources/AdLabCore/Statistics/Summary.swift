import Foundation

/// Descriptive statistics of one sample with a Student-t confidence interval for
/// its mean.
///
/// - mean x̄ = Σxᵢ/n (corrected two-pass, see `Moments`)
/// - standardDeviation s = √(Σ(xᵢ − x̄)²/(n − 1))
/// - standardError s/√n
/// - [ciLower, ciUpper] = x̄ ∓ t_{(1+c)/2, n−1}·s/√n for confidence level c
///
/// Degenerate samples: n = 0 gives count 0 and NaN everywhere else; n = 1 gives
/// the mean and NaN standard deviation, standard error and interval. A sample with
/// zero spread gives s = 0 and the interval [x̄, x̄]. Non-finite inputs propagate
/// as NaN.
///
/// Results are bit-identical run to run: summation is in array order with
/// Neumaier compensation and no parallelism.
///
/// Equality treats NaN as equal to NaN (field by field), so degenerate summaries
/// compare equal to themselves. When encoding with `JSONEncoder`, set a
/// `nonConformingFloatEncodingStrategy` (for example `.convertToString`), since
/// fields may be NaN.
public struct SampleSummary: Sendable, Equatable, Codable {
  /// Number of observations n.
  public let count: Int
  /// Sample mean x̄.
  public let mean: Double
  /// Sample standard deviation with the n − 1 denominator.
  public let standardDeviation: Double
  /// Standard error of the mean, s/√n.
  public let standardError: Double
  /// Lower end of the t confidence interval for the mean.
  public let ciLower: Double
  /// Upper end of the t confidence interval for the mean.
  public let ciUpper: Double
  /// Confidence level c of the interval, in (0, 1).
  public let confidence: Double

  /// Summarizes `values` with a two-sided t interval at level `confidence`
  /// (precondition: 0 < confidence < 1).
  public init(_ values: [Double], confidence: Double = 0.95) {
    precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1)")
    let n = values.count
    self.count = n
    self.confidence = confidence
    guard n > 0 else {
      self.mean = .nan
      self.standardDeviation = .nan
      self.standardError = .nan
      self.ciLower = .nan
      self.ciUpper = .nan
      return
    }
    let mean = Moments.mean(values)
    self.mean = mean
    guard n > 1 else {
      self.standardDeviation = .nan
      self.standardError = .nan
      self.ciLower = .nan
      self.ciUpper = .nan
      return
    }
    let sd = Moments.variance(values, mean: mean).squareRoot()
    let se = sd / Double(n).squareRoot()
    self.standardDeviation = sd
    self.standardError = se
    if se == 0 {
      self.ciLower = mean
      self.ciUpper = mean
    } else {
      let critical = Moments.criticalValue(confidence: confidence, degreesOfFreedom: Double(n - 1))
      self.ciLower = mean - critical * se
      self.ciUpper = mean + critical * se
    }
  }

  /// Memberwise initializer (for decoding-free construction, e.g. in tests).
  public init(
    count: Int, mean: Double, standardDeviation: Double, standardError: Double,
    ciLower: Double, ciUpper: Double, confidence: Double
  ) {
    self.count = count
    self.mean = mean
    self.standardDeviation = standardDeviation
    self.standardError = standardError
    self.ciLower = ciLower
    self.ciUpper = ciUpper
    self.confidence = confidence
  }

  /// Field-wise equality in which NaN equals NaN.
  public static func == (lhs: SampleSummary, rhs: SampleSummary) -> Bool {
    lhs.count == rhs.count
      && Moments.sameValue(lhs.mean, rhs.mean)
      && Moments.sameValue(lhs.standardDeviation, rhs.standardDeviation)
      && Moments.sameValue(lhs.standardError, rhs.standardError)
      && Moments.sameValue(lhs.ciLower, rhs.ciLower)
      && Moments.sameValue(lhs.ciUpper, rhs.ciUpper)
      && Moments.sameValue(lhs.confidence, rhs.confidence)
  }
}

/// Deterministic, numerically careful sample moments (array order, Neumaier
/// compensated sums, corrected two-pass algorithm of Chan, Golub & LeVeque).
enum Moments {
  /// Running Σ with Neumaier compensation: the rounding error of every addition
  /// is accumulated separately and added back at the end.
  struct CompensatedSum {
    private var total = 0.0
    private var compensation = 0.0

    /// Adds one term.
    mutating func add(_ value: Double) {
      let next = total + value
      if abs(total) >= abs(value) {
        compensation += (total - next) + value
      } else {
        compensation += (value - next) + total
      }
      total = next
    }

    /// The compensated sum.
    var value: Double { total + compensation }
  }

  /// Σxᵢ in array order with Neumaier compensation.
  static func sum(_ values: [Double]) -> Double {
    var accumulator = CompensatedSum()
    for value in values { accumulator.add(value) }
    return accumulator.value
  }

  /// x̄ = m₀ + Σ(xᵢ − m₀)/n with m₀ = Σxᵢ/n. The second pass removes the rounding
  /// error of m₀, so a constant sample has exactly its value as mean (and hence
  /// exactly zero variance). NaN for an empty array.
  static func mean(_ values: [Double]) -> Double {
    let n = Double(values.count)
    let first = sum(values) / n
    var correction = CompensatedSum()
    for value in values { correction.add(value - first) }
    return first + correction.value / n
  }

  /// s² = (Σdᵢ² − (Σdᵢ)²/n)/(n − 1) with dᵢ = xᵢ − x̄ (corrected two-pass), clamped at 0
  /// (the exact value is ≥ 0 by Cauchy–Schwarz); NaN stays NaN. Requires n ≥ 2.
  static func variance(_ values: [Double], mean: Double) -> Double {
    let value = covariance(values, values, meanX: mean, meanY: mean)
    return value < 0 ? 0 : value  // not max(0, ·), which would turn NaN into 0
  }

  /// s_xy = (Σdxᵢ·dyᵢ − (Σdxᵢ)(Σdyᵢ)/n)/(n − 1) with dx = x − x̄, dy = y − ȳ.
  /// Requires equal lengths n ≥ 2.
  static func covariance(_ x: [Double], _ y: [Double], meanX: Double, meanY: Double) -> Double {
    precondition(x.count == y.count && x.count >= 2, "covariance needs two equal-length samples of size >= 2")
    var products = CompensatedSum()
    var deviationsX = CompensatedSum()
    var deviationsY = CompensatedSum()
    for i in x.indices {
      let dx = x[i] - meanX
      let dy = y[i] - meanY
      products.add(dx * dy)
      deviationsX.add(dx)
      deviationsY.add(dy)
    }
    let n = Double(x.count)
    return (products.value - deviationsX.value * deviationsY.value / n) / (n - 1)
  }

  /// Two-sided critical value t_{(1+c)/2, ν} = −F⁻¹((1 − c)/2; ν).
  static func criticalValue(confidence: Double, degreesOfFreedom: Double) -> Double {
    -StudentT.quantile(0.5 * (1 - confidence), degreesOfFreedom: degreesOfFreedom)
  }

  /// a == b, or both NaN.
  static func sameValue(_ a: Double, _ b: Double) -> Bool {
    a == b || (a.isNaN && b.isNaN)
  }
}
