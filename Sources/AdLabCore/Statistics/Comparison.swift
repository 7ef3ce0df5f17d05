import Foundation

/// The result of comparing a treatment arm against a control arm on one metric.
///
/// With x̄_C, x̄_T the arm means, d = x̄_T − x̄_C and SE the standard error of d:
/// - statistic t = d/SE, pValue = P(|T_ν| ≥ |t|) (two-sided), ν = degreesOfFreedom
/// - [ciLower, ciUpper] = d ∓ t_{(1+c)/2, ν}·SE
/// - relativeLift = d/x̄_C (NaN when x̄_C = 0)
/// - [relativeCILower, relativeCIUpper] = relativeLift ∓ t_{(1+c)/2, ν}·SE_R, the
///   delta-method interval for R = x̄_T/x̄_C (lift = R − 1):
///
///       Var(R) ≈ [Var(x̄_T) − 2R·Cov(x̄_T, x̄_C) + R²·Var(x̄_C)] / x̄_C²
///
///   with Var(x̄) = s²/n, and Cov(x̄_T, x̄_C) = s_TC/n for paired data (0 for Welch).
///   The same critical value as the difference interval is used. NaN when x̄_C = 0.
///
/// Degenerate cases (see `HypothesisTests`): fewer than 2 observations per arm
/// (pairs for the paired test) gives NaN statistic, degrees of freedom, p-value and
/// intervals. SE = 0 gives t = 0, p = 1 if d = 0 and t = ±∞, p = 0 otherwise, with
/// the difference interval [d, d].
///
/// Equality treats NaN as equal to NaN. When encoding with `JSONEncoder`, set a
/// `nonConformingFloatEncodingStrategy`, since fields may be NaN or ±∞.
public struct Comparison: Sendable, Equatable, Codable {
  /// Which test produced a `Comparison`.
  public enum Method: String, Sendable, Equatable, Codable {
    /// Paired t-test on the per-unit differences treatmentᵢ − controlᵢ.
    case pairedT
    /// Welch's unequal-variance two-sample t-test.
    case welch
  }

  /// Mean of the control arm x̄_C.
  public let controlMean: Double
  /// Mean of the treatment arm x̄_T.
  public let treatmentMean: Double
  /// d = treatment − control (for paired data the mean of the differences).
  public let difference: Double
  /// d / x̄_C; NaN if the control mean is 0.
  public let relativeLift: Double
  /// Standard error of `difference`.
  public let standardError: Double
  /// Lower end of the confidence interval for `difference`.
  public let ciLower: Double
  /// Upper end of the confidence interval for `difference`.
  public let ciUpper: Double
  /// Lower end of the delta-method confidence interval for `relativeLift`.
  public let relativeCILower: Double
  /// Upper end of the delta-method confidence interval for `relativeLift`.
  public let relativeCIUpper: Double
  /// The t statistic d/SE.
  public let statistic: Double
  /// Degrees of freedom ν of the reference t distribution (n − 1 for paired,
  /// Welch–Satterthwaite for Welch).
  public let degreesOfFreedom: Double
  /// Two-sided p-value.
  public let pValue: Double
  /// The test that produced this result.
  public let method: Method
  /// Confidence level c of both intervals.
  public let confidence: Double

  /// Memberwise initializer.
  public init(
    controlMean: Double, treatmentMean: Double, difference: Double, relativeLift: Double,
    standardError: Double, ciLower: Double, ciUpper: Double,
    relativeCILower: Double, relativeCIUpper: Double,
    statistic: Double, degreesOfFreedom: Double, pValue: Double,
    method: Method, confidence: Double
  ) {
    self.controlMean = controlMean
    self.treatmentMean = treatmentMean
    self.difference = difference
    self.relativeLift = relativeLift
    self.standardError = standardError
    self.ciLower = ciLower
    self.ciUpper = ciUpper
    self.relativeCILower = relativeCILower
    self.relativeCIUpper = relativeCIUpper
    self.statistic = statistic
    self.degreesOfFreedom = degreesOfFreedom
    self.pValue = pValue
    self.method = method
    self.confidence = confidence
  }

  /// Field-wise equality in which NaN equals NaN.
  public static func == (lhs: Comparison, rhs: Comparison) -> Bool {
    let pairs: [(Double, Double)] = [
      (lhs.controlMean, rhs.controlMean), (lhs.treatmentMean, rhs.treatmentMean),
      (lhs.difference, rhs.difference), (lhs.relativeLift, rhs.relativeLift),
      (lhs.standardError, rhs.standardError), (lhs.ciLower, rhs.ciLower),
      (lhs.ciUpper, rhs.ciUpper), (lhs.relativeCILower, rhs.relativeCILower),
      (lhs.relativeCIUpper, rhs.relativeCIUpper), (lhs.statistic, rhs.statistic),
      (lhs.degreesOfFreedom, rhs.degreesOfFreedom), (lhs.pValue, rhs.pValue),
      (lhs.confidence, rhs.confidence),
    ]
    return lhs.method == rhs.method && pairs.allSatisfy { Moments.sameValue($0.0, $0.1) }
  }
}

/// Frequentist tests for A/B/n comparisons.
///
/// All functions are pure and deterministic (array-order summation), so results
/// are bit-identical run to run.
public enum HypothesisTests {
  /// Paired t-test on dᵢ = treatmentᵢ − controlᵢ (e.g. the same ad slots or days
  /// under both arms): d̄ = mean(dᵢ), SE = s_d/√n, t = d̄/SE, ν = n − 1.
  ///
  /// - Precondition: `control.count == treatment.count`; 0 < confidence < 1.
  /// - Fewer than 2 pairs: no test is possible, so statistic, degreesOfFreedom,
  ///   pValue, standardError and all intervals are NaN (the means, difference and
  ///   lift are still reported when n = 1; everything is NaN when n = 0).
  /// - s_d = 0: t = 0 and p = 1 when d̄ = 0; t = ±∞ and p = 0 otherwise; the
  ///   difference interval is [d̄, d̄].
  /// - The relative interval uses Cov(x̄_T, x̄_C) = s_TC/n (see `Comparison`).
  public static func pairedT(control: [Double], treatment: [Double], confidence: Double = 0.95) -> Comparison {
    precondition(control.count == treatment.count, "pairedT needs equal-length control and treatment")
    precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1)")
    let n = control.count
    var differences = [Double]()
    differences.reserveCapacity(n)
    for i in 0..<n { differences.append(treatment[i] - control[i]) }
    let controlMean = n > 0 ? Moments.mean(control) : .nan
    let treatmentMean = n > 0 ? Moments.mean(treatment) : .nan
    let difference = n > 0 ? Moments.mean(differences) : .nan
    guard n >= 2 else {
      return untestable(
        controlMean: controlMean, treatmentMean: treatmentMean,
        difference: difference, method: .pairedT, confidence: confidence)
    }
    let count = Double(n)
    let varianceControlMean = Moments.variance(control, mean: controlMean) / count
    let varianceTreatmentMean = Moments.variance(treatment, mean: treatmentMean) / count
    let covarianceMeans = Moments.covariance(treatment, control, meanX: treatmentMean, meanY: controlMean) / count
    let standardError = (Moments.variance(differences, mean: difference) / count).squareRoot()
    return assemble(
      controlMean: controlMean, treatmentMean: treatmentMean, difference: difference,
      standardError: standardError, degreesOfFreedom: count - 1,
      varianceControlMean: varianceControlMean, varianceTreatmentMean: varianceTreatmentMean,
      covarianceMeans: covarianceMeans, method: .pairedT, confidence: confidence)
  }

  /// Welch's unequal-variance t-test: d = x̄_T − x̄_C, SE² = s_C²/n_C + s_T²/n_T,
  /// t = d/SE and the Welch–Satterthwaite degrees of freedom
  ///
  ///     ν = SE⁴ / [(s_C²/n_C)²/(n_C − 1) + (s_T²/n_T)²/(n_T − 1)].
  ///
  /// - Precondition: 0 < confidence < 1.
  /// - Fewer than 2 observations in either arm: statistic, degreesOfFreedom,
  ///   pValue, standardError and all intervals are NaN (means of non-empty arms are
  ///   still reported).
  /// - SE = 0 (both arms constant): t = 0 and p = 1 when d = 0, t = ±∞ and p = 0
  ///   otherwise, interval [d, d]; ν is 0/0 and reported as NaN.
  public static func welch(control: [Double], treatment: [Double], confidence: Double = 0.95) -> Comparison {
    precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1)")
    let controlMean = control.isEmpty ? .nan : Moments.mean(control)
    let treatmentMean = treatment.isEmpty ? .nan : Moments.mean(treatment)
    let difference = treatmentMean - controlMean
    guard control.count >= 2, treatment.count >= 2 else {
      return untestable(
        controlMean: controlMean, treatmentMean: treatmentMean,
        difference: difference, method: .welch, confidence: confidence)
    }
    let varianceControlMean = Moments.variance(control, mean: controlMean) / Double(control.count)
    let varianceTreatmentMean = Moments.variance(treatment, mean: treatmentMean) / Double(treatment.count)
    let varianceDifference = varianceControlMean + varianceTreatmentMean
    let degreesOfFreedom =
      varianceDifference * varianceDifference
      / (varianceControlMean * varianceControlMean / Double(control.count - 1)
        + varianceTreatmentMean * varianceTreatmentMean / Double(treatment.count - 1))
    return assemble(
      controlMean: controlMean, treatmentMean: treatmentMean, difference: difference,
      standardError: varianceDifference.squareRoot(), degreesOfFreedom: degreesOfFreedom,
      varianceControlMean: varianceControlMean, varianceTreatmentMean: varianceTreatmentMean,
      covarianceMeans: 0, method: .welch, confidence: confidence)
  }

  /// Welch's test from summary statistics alone (mean, standard deviation and count of each arm), for
  /// results read back from summary.json; the same formulas as `welch(control:treatment:confidence:)`.
  public static func welch(
    controlMean: Double, controlSD: Double, controlCount: Int,
    treatmentMean: Double, treatmentSD: Double, treatmentCount: Int, confidence: Double = 0.95
  ) -> Comparison {
    precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1)")
    let difference = treatmentMean - controlMean
    guard controlCount >= 2, treatmentCount >= 2, controlSD.isFinite, treatmentSD.isFinite else {
      return untestable(
        controlMean: controlMean, treatmentMean: treatmentMean,
        difference: difference, method: .welch, confidence: confidence)
    }
    let varianceControlMean = controlSD * controlSD / Double(controlCount)
    let varianceTreatmentMean = treatmentSD * treatmentSD / Double(treatmentCount)
    let varianceDifference = varianceControlMean + varianceTreatmentMean
    let degreesOfFreedom =
      varianceDifference * varianceDifference
      / (varianceControlMean * varianceControlMean / Double(controlCount - 1)
        + varianceTreatmentMean * varianceTreatmentMean / Double(treatmentCount - 1))
    return assemble(
      controlMean: controlMean, treatmentMean: treatmentMean, difference: difference,
      standardError: varianceDifference.squareRoot(), degreesOfFreedom: degreesOfFreedom,
      varianceControlMean: varianceControlMean, varianceTreatmentMean: varianceTreatmentMean,
      covarianceMeans: 0, method: .welch, confidence: confidence)
  }

  /// Holm–Bonferroni step-down adjusted p-values, returned in input order.
  ///
  /// With the m p-values sorted ascending, p₍₁₎ ≤ … ≤ p₍ₘ₎ (ties broken by input
  /// position), the adjusted values are
  ///
  ///     p̃₍ᵢ₎ = min(1, max_{j ≤ i} (m − j + 1)·p₍ⱼ₎),
  ///
  /// which are monotone in the sorted order and capped at 1. Rejecting p̃ ≤ α
  /// controls the family-wise error rate at α.
  ///
  /// NaN entries (tests that could not be run) stay NaN and are not counted in m.
  /// - Precondition: every non-NaN value is in [0, 1].
  public static func holm(_ pValues: [Double]) -> [Double] {
    var adjusted = [Double](repeating: .nan, count: pValues.count)
    var order = [Int]()
    for (index, p) in pValues.enumerated() where !p.isNaN {
      precondition(p >= 0 && p <= 1, "p-values must be in [0, 1]")
      order.append(index)
    }
    order.sort { pValues[$0] < pValues[$1] || (pValues[$0] == pValues[$1] && $0 < $1) }
    let m = order.count
    var runningMaximum = 0.0
    for (rank, index) in order.enumerated() {
      runningMaximum = max(runningMaximum, min(1, Double(m - rank) * pValues[index]))
      adjusted[index] = runningMaximum
    }
    return adjusted
  }

  /// Sample-ratio-mismatch check: Pearson's chi-squared goodness-of-fit of the
  /// observed arm sizes against the configured traffic split.
  ///
  ///     N = Σ oᵢ,  eᵢ = N·wᵢ/Σw,  X² = Σ (oᵢ − eᵢ)²/eᵢ,  df = k − 1,  p = P(χ²_df > X²)
  ///
  /// The weights need not sum to 1. With N = 0 there is nothing to test and
  /// chiSquare and pValue are NaN.
  /// - Precondition: equal lengths, k ≥ 2 arms, every count ≥ 0, every weight
  ///   finite and > 0.
  public static func sampleRatioMismatch(
    observed: [Int], expectedWeights: [Double]
  ) -> (chiSquare: Double, degreesOfFreedom: Int, pValue: Double) {
    precondition(observed.count == expectedWeights.count, "one weight per arm is required")
    precondition(observed.count >= 2, "at least two arms are required")
    precondition(observed.allSatisfy { $0 >= 0 }, "counts must be non-negative")
    precondition(expectedWeights.allSatisfy { $0 > 0 && $0.isFinite }, "weights must be finite and positive")
    let degreesOfFreedom = observed.count - 1
    let total = Moments.sum(observed.map(Double.init))
    guard total > 0 else { return (.nan, degreesOfFreedom, .nan) }
    let weightTotal = Moments.sum(expectedWeights)
    var chiSquare = Moments.CompensatedSum()
    for (count, weight) in zip(observed, expectedWeights) {
      let expected = total * weight / weightTotal
      let deviation = Double(count) - expected
      chiSquare.add(deviation * deviation / expected)
    }
    let statistic = chiSquare.value
    return (
      statistic, degreesOfFreedom,
      ChiSquared.survival(statistic, degreesOfFreedom: Double(degreesOfFreedom))
    )
  }

  /// Builds a `Comparison` from the arm means, SE of the difference, ν and the
  /// (co)variances of the means (formulas in `Comparison`).
  private static func assemble(
    controlMean: Double, treatmentMean: Double, difference: Double,
    standardError: Double, degreesOfFreedom: Double,
    varianceControlMean: Double, varianceTreatmentMean: Double, covarianceMeans: Double,
    method: Comparison.Method, confidence: Double
  ) -> Comparison {
    let critical =
      degreesOfFreedom.isNaN
      ? Double.nan
      : Moments.criticalValue(confidence: confidence, degreesOfFreedom: degreesOfFreedom)
    let statistic: Double
    let pValue: Double
    let ciLower: Double
    let ciUpper: Double
    if standardError == 0 {
      statistic = difference == 0 ? 0 : (difference > 0 ? .infinity : -.infinity)
      pValue = difference == 0 ? 1 : 0
      ciLower = difference
      ciUpper = difference
    } else {
      statistic = difference / standardError
      pValue = StudentT.twoSidedPValue(statistic, degreesOfFreedom: degreesOfFreedom)
      ciLower = difference - critical * standardError
      ciUpper = difference + critical * standardError
    }

    let relativeLift = controlMean == 0 ? Double.nan : difference / controlMean
    var relativeCILower = Double.nan
    var relativeCIUpper = Double.nan
    if controlMean != 0 {
      let ratio = treatmentMean / controlMean
      let varianceRatio =
        (varianceTreatmentMean - 2 * ratio * covarianceMeans
          + ratio * ratio * varianceControlMean) / (controlMean * controlMean)
      let relativeError = varianceRatio < 0 ? 0 : varianceRatio.squareRoot()  // NaN stays NaN
      let halfWidth = relativeError == 0 ? 0 : critical * relativeError
      relativeCILower = relativeLift - halfWidth
      relativeCIUpper = relativeLift + halfWidth
    }

    return Comparison(
      controlMean: controlMean, treatmentMean: treatmentMean, difference: difference,
      relativeLift: relativeLift, standardError: standardError,
      ciLower: ciLower, ciUpper: ciUpper,
      relativeCILower: relativeCILower, relativeCIUpper: relativeCIUpper,
      statistic: statistic, degreesOfFreedom: degreesOfFreedom, pValue: pValue,
      method: method, confidence: confidence)
  }

  /// A `Comparison` for too little data: means and lift only, NaN elsewhere.
  private static func untestable(
    controlMean: Double, treatmentMean: Double, difference: Double,
    method: Comparison.Method, confidence: Double
  ) -> Comparison {
    Comparison(
      controlMean: controlMean, treatmentMean: treatmentMean, difference: difference,
      relativeLift: controlMean == 0 ? .nan : difference / controlMean, standardError: .nan,
      ciLower: .nan, ciUpper: .nan, relativeCILower: .nan, relativeCIUpper: .nan,
      statistic: .nan, degreesOfFreedom: .nan, pValue: .nan,
      method: method, confidence: confidence)
  }
}
