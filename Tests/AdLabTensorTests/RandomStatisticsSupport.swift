import Foundation
import Testing

// Shared helpers for the statistical tests. Every tolerance is derived from a standard error (z = 5, two-sided
// false-alarm probability 5.7e-7 per check) or from a 0.999 quantile stated next to it; seeds are fixed, so a
// passing test passes forever, and the bounds were chosen before looking at the results.

/// Statistical helpers for the random-number tests (namespaced to stay clear of other test files).
enum RNGStats {
  /// Number of standard errors a moment may deviate from its expectation.
  static let zTolerance = 5.0

  /// Upper 0.999 quantiles of the chi-square distribution, by degrees of freedom (scipy.stats.chi2.ppf(0.999, df)).
  static let chiSquare999: [Int: Double] = [
    1: 10.828, 2: 13.816, 3: 16.266, 4: 18.467, 5: 20.515, 9: 27.877, 13: 34.528, 15: 37.697,
  ]

  /// Upper 0.999 quantile of the Kolmogorov distribution: sqrt(n) · D_n stays below it with probability 0.999.
  static let kolmogorov999 = 1.9495

  /// Sample mean and central moments, computed in two passes for accuracy.
  struct SampleMoments {
    let count: Double
    let mean: Double
    /// Biased (1/n) central moments.
    let variance: Double
    let thirdCentral: Double
    let fourthCentral: Double

    init(_ samples: [Double]) {
      count = Double(samples.count)
      mean = samples.reduce(0, +) / count
      var m2 = 0.0, m3 = 0.0, m4 = 0.0
      for x in samples {
        let d = x - mean, d2 = d * d
        m2 += d2
        m3 += d2 * d
        m4 += d2 * d2
      }
      variance = m2 / count
      thirdCentral = m3 / count
      fourthCentral = m4 / count
    }
  }

  /// Expects the sample mean and variance to match a distribution with the given mean, variance and fourth central
  /// moment, within `zTolerance` standard errors: se(mean) = sqrt(σ²/n), se(variance) ≈ sqrt((μ₄ − σ⁴)/n).
  static func expectMoments(
    _ samples: [Double], mean: Double, variance: Double, fourthCentral: Double, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let moments = SampleMoments(samples)
    let meanSE = (variance / moments.count).squareRoot()
    let varianceSE = ((fourthCentral - variance * variance) / moments.count).squareRoot()
    #expect(
      abs(moments.mean - mean) <= zTolerance * meanSE,
      "\(label): mean \(moments.mean), expected \(mean) ± \(zTolerance * meanSE)", sourceLocation: sourceLocation)
    #expect(
      abs(moments.variance - variance) <= zTolerance * varianceSE,
      "\(label): variance \(moments.variance), expected \(variance) ± \(zTolerance * varianceSE)",
      sourceLocation: sourceLocation)
  }

  /// Mean, variance and fourth central moment from the raw moments E[X], E[X²], E[X³], E[X⁴].
  static func centralMoments(raw: [Double]) -> (mean: Double, variance: Double, fourthCentral: Double) {
    let m = raw[0]
    let variance = raw[1] - m * m
    let fourth = raw[3] - 4 * m * raw[2] + 6 * m * m * raw[1] - 3 * m * m * m * m
    return (m, variance, fourth)
  }

  /// Pearson's chi-square statistic of observed counts against expected probabilities.
  static func chiSquare(counts: [Int], probabilities: [Double]) -> Double {
    let total = Double(counts.reduce(0, +))
    var statistic = 0.0
    for (count, p) in zip(counts, probabilities) where p > 0 {
      let expected = total * p
      statistic += (Double(count) - expected) * (Double(count) - expected) / expected
    }
    return statistic
  }

  /// Expects `counts` to fit `probabilities` (chi-square below its 0.999 quantile; df = positive cells − 1).
  static func expectChiSquareFit(
    counts: [Int], probabilities: [Double], _ label: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let df = probabilities.filter { $0 > 0 }.count - 1
    guard let critical = chiSquare999[df] else {
      Issue.record("no chi-square critical value for df = \(df)", sourceLocation: sourceLocation)
      return
    }
    let statistic = chiSquare(counts: counts, probabilities: probabilities)
    #expect(
      statistic < critical, "\(label): chi-square \(statistic) >= \(critical) (df \(df)); counts \(counts)",
      sourceLocation: sourceLocation)
  }

  /// sqrt(n) times the Kolmogorov–Smirnov distance between the samples and a continuous CDF.
  static func kolmogorovSmirnovScaled(_ samples: [Double], cdf: (Double) -> Double) -> Double {
    let sorted = samples.sorted()
    let n = Double(sorted.count)
    var distance = 0.0
    for (index, x) in sorted.enumerated() {
      let f = cdf(x)
      distance = max(distance, f - Double(index) / n, Double(index + 1) / n - f)
    }
    return distance * n.squareRoot()
  }

  /// Regularized lower incomplete gamma P(a, x) by its power series (fine for the moderate x used in tests).
  static func regularizedLowerGamma(_ a: Double, _ x: Double) -> Double {
    if x <= 0 { return 0 }
    var term = 1.0 / a
    var sum = term
    var n = 1.0
    while term > sum * 1e-16 && n < 10_000 {
      term *= x / (a + n)
      sum += term
      n += 1
    }
    return min(1, exp(a * log(x) - x - lgamma(a)) * sum)
  }
}
