// Tests for Sources/AdLabCore/Statistics.
//
// Reference values live in Fixtures/statistics_fixture.json, generated once with
//
//     cd Tests/AdLabCoreTests/Fixtures
//     python3 make_statistics_fixture.py > statistics_fixture.json
//
// using scipy 1.17.1 and numpy 2.4.6 (the versions are also recorded inside the
// JSON). The script is committed next to the JSON; the tests never run Python.
// The fixture is loaded relative to #filePath, so no resource bundle is needed.

import Foundation
import Testing

@testable import AdLabCore

// MARK: - Fixture

private struct StatisticsFixture: Decodable {
  struct TCDF: Decodable { let t, df, cdf, twoSided: Double }
  struct TQuantile: Decodable { let p, df, quantile: Double }
  struct NormalQuantile: Decodable { let p, quantile: Double }
  struct NormalCDF: Decodable { let x, cdf: Double }
  struct ChiSquaredSurvival: Decodable { let x, df, survival: Double }
  struct Summary: Decodable {
    let name: String
    let values: [Double]
    let mean, standardDeviation, standardError, ciLower, ciUpper: Double
  }
  struct Test: Decodable {
    let name: String
    let control, treatment: [Double]
    let controlMean, treatmentMean, statistic, degreesOfFreedom, pValue: Double
    let ciLower, ciUpper, relativeCILower, relativeCIUpper: Double
  }
  struct Holm: Decodable { let p, adjusted: [Double] }
  struct SRM: Decodable {
    let observed: [Int]
    let weights: [Double]
    let chiSquare: Double
    let degreesOfFreedom: Int
    let pValue: Double
  }

  let scipyVersion: String
  let studentTCDF: [TCDF]
  let studentTQuantile: [TQuantile]
  let normalQuantile: [NormalQuantile]
  let normalCDF: [NormalCDF]
  let chiSquaredSurvival: [ChiSquaredSurvival]
  let summaries: [Summary]
  let paired: [Test]
  let welch: [Test]
  let holm: [Holm]
  let sampleRatioMismatch: [SRM]

  static let shared: StatisticsFixture = {
    let url = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent()
      .appendingPathComponent("Fixtures/statistics_fixture.json")
    do {
      return try JSONDecoder().decode(StatisticsFixture.self, from: Data(contentsOf: url))
    } catch {
      fatalError("cannot load \(url.path): \(error)")
    }
  }()
}

/// |actual − expected| ≤ max(relative·|expected|, absolute); NaN matches NaN and
/// infinities must match exactly. Tail probabilities use absolute = 0.
private func isClose(
  _ actual: Double, _ expected: Double, relative: Double = 1e-10, absolute: Double = 0
) -> Bool {
  if expected.isNaN { return actual.isNaN }
  if expected.isInfinite { return actual == expected }
  return abs(actual - expected) <= max(relative * abs(expected), absolute)
}

// MARK: - Distributions against scipy

@Suite("Distributions")
struct DistributionTests {
  fileprivate let fixture = StatisticsFixture.shared

  @Test func fixtureIsScipy117() {
    #expect(fixture.scipyVersion.hasPrefix("1.17"))
  }

  @Test func studentTCDFAndTwoSidedPValue() {
    #expect(fixture.studentTCDF.count >= 40)
    for c in fixture.studentTCDF {
      let cdf = StudentT.cdf(c.t, degreesOfFreedom: c.df)
      let twoSided = StudentT.twoSidedPValue(c.t, degreesOfFreedom: c.df)
      #expect(isClose(cdf, c.cdf), "cdf t=\(c.t) df=\(c.df): \(cdf) vs \(c.cdf)")
      #expect(isClose(twoSided, c.twoSided), "2-sided t=\(c.t) df=\(c.df): \(twoSided) vs \(c.twoSided)")
      let survival = StudentT.survival(-c.t, degreesOfFreedom: c.df)
      #expect(isClose(survival, c.cdf), "survival(-t) t=\(c.t) df=\(c.df)")
    }
  }

  @Test func studentTQuantile() {
    #expect(fixture.studentTQuantile.count >= 50)
    for c in fixture.studentTQuantile {
      let q = StudentT.quantile(c.p, degreesOfFreedom: c.df)
      #expect(isClose(q, c.quantile, absolute: 1e-12), "ppf p=\(c.p) df=\(c.df): \(q) vs \(c.quantile)")
    }
  }

  @Test func normalQuantileAndCDF() {
    for c in fixture.normalQuantile {
      let q = StandardNormal.quantile(c.p)
      #expect(isClose(q, c.quantile, relative: 1e-12, absolute: 1e-15), "norm.ppf(\(c.p)): \(q) vs \(c.quantile)")
    }
    for c in fixture.normalCDF {
      let cdf = StandardNormal.cdf(c.x)
      #expect(isClose(cdf, c.cdf, relative: 1e-12), "norm.cdf(\(c.x)): \(cdf) vs \(c.cdf)")
    }
  }

  @Test func chiSquaredSurvival() {
    for c in fixture.chiSquaredSurvival {
      let s = ChiSquared.survival(c.x, degreesOfFreedom: c.df)
      #expect(isClose(s, c.survival), "chi2.sf(\(c.x), \(c.df)): \(s) vs \(c.survival)")
      #expect(isClose(ChiSquared.cdf(c.x, degreesOfFreedom: c.df) + s, 1, relative: 1e-14))
    }
  }

  @Test func quantileInvertsCDF() {
    let ps = [1e-300, 1e-100, 1e-15, 1e-4, 0.01, 0.2, 0.45, 0.499999, 0.55, 0.9, 0.99999]
    for df in [0.7, 1, 1.5, 2, 3.3, 7, 50, 1e4, 1e7, .infinity] {
      for p in ps where !(df < 1 && p < 1e-200) {  // t(0.7) at 1e-300 overflows Double
        let t = StudentT.quantile(p, degreesOfFreedom: df)
        #expect(t.isFinite, "df=\(df) p=\(p)")
        let back = StudentT.cdf(t, degreesOfFreedom: df)
        #expect(isClose(back, p, relative: 1e-12), "df=\(df) p=\(p): cdf(ppf) = \(back)")
        // Exact antisymmetry: F⁻¹(1 − q) = −F⁻¹(q) whenever 1 − q is the input.
        let upper = 1 - p
        #expect(StudentT.quantile(upper, degreesOfFreedom: df) == -StudentT.quantile(1 - upper, degreesOfFreedom: df))
      }
    }
  }

  @Test func boundaryArguments() {
    #expect(StudentT.quantile(0, degreesOfFreedom: 5) == -.infinity)
    #expect(StudentT.quantile(1, degreesOfFreedom: 5) == .infinity)
    #expect(StudentT.quantile(0.5, degreesOfFreedom: 5) == 0)
    #expect(StudentT.quantile(1.5, degreesOfFreedom: 5).isNaN)
    #expect(StudentT.cdf(1, degreesOfFreedom: 0).isNaN)
    #expect(StudentT.cdf(.infinity, degreesOfFreedom: 3) == 1)
    #expect(StudentT.cdf(-.infinity, degreesOfFreedom: 3) == 0)
    #expect(StudentT.twoSidedPValue(0, degreesOfFreedom: 3) == 1)
    #expect(StandardNormal.quantile(0) == -.infinity)
    #expect(StandardNormal.quantile(1) == .infinity)
    #expect(StandardNormal.quantile(0.5) == 0)
    #expect(StandardNormal.quantile(-0.1).isNaN)
    #expect(ChiSquared.survival(0, degreesOfFreedom: 2) == 1)
    #expect(ChiSquared.survival(-3, degreesOfFreedom: 2) == 1)
    #expect(ChiSquared.survival(.infinity, degreesOfFreedom: 2) == 0)
    // Exact closed forms: chi-squared(2) survival e^(−x/2); t(2) two-sided 1 − |t|/√(2 + t²).
    #expect(isClose(ChiSquared.survival(60, degreesOfFreedom: 2), exp(-30), relative: 1e-14))
    #expect(isClose(StudentT.cdf(-1e5, degreesOfFreedom: 2), 0.5 * (1 - 1e5 / (2 + 1e10).squareRoot()), relative: 1e-6))
  }

  @Test func normalQuantileDeepTailIsMonotoneAndInverts() {
    var previous = -Double.infinity
    let subnormals = [Double.leastNormalMagnitude * 1e-4, Double.leastNormalMagnitude * 0.01]
    for p in [Double.leastNonzeroMagnitude] + subnormals + [Double.leastNormalMagnitude, 1e-305, 1e-300, 1e-290] {
      let x = StandardNormal.quantile(p)
      #expect(x.isFinite && x > previous, "p=\(p) x=\(x)")
      previous = x
    }
    // ln Φ(x) = ln p in the asymptotic region (relative accuracy of x itself).
    for p in [1e-305, Double.leastNormalMagnitude] {
      let x = StandardNormal.quantile(p)
      #expect(isClose(StandardNormal.logCDF(x), log(p), relative: 1e-14))
    }
  }

  @Test func largeDegreesOfFreedomFollowFisherExpansionAndStayFast() {
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      for df in [1e6, 1e8, 1e10, 1e14] {
        for t in [-8.0, -2.0, 0.5, 3.0] {
          // Fisher: F_ν(t) = Φ(t) − φ(t)·(t³ + t)/(4ν) + O((t² + 1)⁴/ν²) relative.
          let tDist = StudentT.cdf(t, degreesOfFreedom: df)
          let phi = exp(-0.5 * t * t) / (2 * Double.pi).squareRoot()
          let expected = StandardNormal.cdf(t) - phi * (t * t * t + t) / (4 * df)
          let tolerance = 1e-12 + pow(t * t + 1, 4) / (df * df)
          #expect(isClose(tDist, expected, relative: tolerance), "df=\(df) t=\(t): \(tDist) vs \(expected)")
        }
        // Cornish–Fisher: F⁻¹(p) = z + (z³ + z)/(4ν) + O(1/ν²).
        let z = StandardNormal.quantile(0.025)
        let q = StudentT.quantile(0.025, degreesOfFreedom: df)
        #expect(isClose(q, z + (z * z * z + z) / (4 * df), relative: 1e-12 + 100 / (df * df)))
      }
    }
    #expect(elapsed < .seconds(5), "took \(elapsed)")
  }
}

// MARK: - Summaries and tests against scipy

@Suite("Hypothesis tests")
struct HypothesisTestTests {
  fileprivate let fixture = StatisticsFixture.shared

  @Test func sampleSummaryMatchesScipy() {
    for c in fixture.summaries {
      let s = SampleSummary(c.values)
      #expect(s.count == c.values.count)
      #expect(isClose(s.mean, c.mean, absolute: 1e-12), "\(c.name) mean")
      #expect(isClose(s.standardDeviation, c.standardDeviation), "\(c.name) sd")
      #expect(isClose(s.standardError, c.standardError), "\(c.name) se")
      #expect(isClose(s.ciLower, c.ciLower, absolute: 1e-12), "\(c.name) ciLower \(s.ciLower) vs \(c.ciLower)")
      #expect(isClose(s.ciUpper, c.ciUpper, absolute: 1e-12), "\(c.name) ciUpper")
    }
  }

  fileprivate func check(_ result: Comparison, _ c: StatisticsFixture.Test) {
    #expect(isClose(result.controlMean, c.controlMean, absolute: 1e-12), "\(c.name) controlMean")
    #expect(isClose(result.treatmentMean, c.treatmentMean, absolute: 1e-12), "\(c.name) treatmentMean")
    #expect(
      isClose(result.difference, c.treatmentMean - c.controlMean, relative: 1e-9, absolute: 1e-12),
      "\(c.name) difference")
    #expect(
      isClose(result.relativeLift, (c.treatmentMean - c.controlMean) / c.controlMean, relative: 1e-9, absolute: 1e-12))
    #expect(
      isClose(result.statistic, c.statistic, absolute: 1e-12), "\(c.name) t \(result.statistic) vs \(c.statistic)")
    #expect(isClose(result.degreesOfFreedom, c.degreesOfFreedom), "\(c.name) df")
    #expect(isClose(result.pValue, c.pValue), "\(c.name) p \(result.pValue) vs \(c.pValue)")
    #expect(isClose(result.ciLower, c.ciLower, absolute: 1e-12), "\(c.name) ciLower \(result.ciLower) vs \(c.ciLower)")
    #expect(isClose(result.ciUpper, c.ciUpper, absolute: 1e-12), "\(c.name) ciUpper")
    #expect(
      isClose(result.relativeCILower, c.relativeCILower, absolute: 1e-12),
      "\(c.name) relLower \(result.relativeCILower) vs \(c.relativeCILower)")
    #expect(isClose(result.relativeCIUpper, c.relativeCIUpper, absolute: 1e-12), "\(c.name) relUpper")
    #expect(result.ciLower <= result.difference && result.difference <= result.ciUpper)
    #expect(result.relativeCILower <= result.relativeLift && result.relativeLift <= result.relativeCIUpper)
  }

  @Test func pairedMatchesScipyTtestRel() {
    #expect(fixture.paired.count >= 3)
    for c in fixture.paired {
      let result = HypothesisTests.pairedT(control: c.control, treatment: c.treatment)
      #expect(result.method == .pairedT)
      check(result, c)
    }
  }

  @Test func welchMatchesScipyTtestInd() {
    #expect(fixture.welch.count >= 3)
    for c in fixture.welch {
      let result = HypothesisTests.welch(control: c.control, treatment: c.treatment)
      #expect(result.method == .welch)
      check(result, c)
    }
  }

  @Test func holmMatchesReference() {
    for c in fixture.holm {
      let adjusted = HypothesisTests.holm(c.p)
      #expect(adjusted.count == c.adjusted.count)
      for (a, e) in zip(adjusted, c.adjusted) {
        #expect(isClose(a, e, relative: 1e-15), "holm \(c.p): \(adjusted) vs \(c.adjusted)")
      }
    }
  }

  @Test func holmProperties() {
    #expect(HypothesisTests.holm([]) == [])
    #expect(HypothesisTests.holm([0.03]) == [0.03])
    // NaN stays NaN and does not count towards m.
    let withNaN = HypothesisTests.holm([0.01, .nan, 0.02])
    #expect(withNaN[0] == 0.02 && withNaN[1].isNaN && withNaN[2] == 0.02)
    // Monotone in the order of the raw p-values, never below the raw value, capped at 1.
    let raw = [0.2, 0.001, 0.04, 0.04, 0.5, 0.011, 0.9]
    let adjusted = HypothesisTests.holm(raw)
    let order = raw.indices.sorted { raw[$0] < raw[$1] }
    for (a, b) in zip(order, order.dropFirst()) { #expect(adjusted[a] <= adjusted[b]) }
    for (p, a) in zip(raw, adjusted) { #expect(a >= p && a <= 1) }
  }

  @Test func sampleRatioMismatchMatchesScipyChisquare() {
    for c in fixture.sampleRatioMismatch {
      let r = HypothesisTests.sampleRatioMismatch(observed: c.observed, expectedWeights: c.weights)
      #expect(r.degreesOfFreedom == c.degreesOfFreedom)
      #expect(isClose(r.chiSquare, c.chiSquare), "\(c.observed) X² \(r.chiSquare) vs \(c.chiSquare)")
      #expect(isClose(r.pValue, c.pValue), "\(c.observed) p \(r.pValue) vs \(c.pValue)")
    }
    let perfect = HypothesisTests.sampleRatioMismatch(observed: [100, 300], expectedWeights: [1, 3])
    #expect(perfect.chiSquare == 0 && perfect.pValue == 1)
    let empty = HypothesisTests.sampleRatioMismatch(observed: [0, 0], expectedWeights: [0.5, 0.5])
    #expect(empty.chiSquare.isNaN && empty.pValue.isNaN && empty.degreesOfFreedom == 1)
  }
}

// MARK: - Edge cases

@Suite("Statistics edge cases")
struct StatisticsEdgeCaseTests {
  @Test func zeroVarianceZeroDifference() {
    let paired = HypothesisTests.pairedT(control: [1, 2, 3], treatment: [1, 2, 3])
    #expect(paired.statistic == 0 && paired.pValue == 1)
    #expect(paired.ciLower == 0 && paired.ciUpper == 0 && paired.standardError == 0)
    #expect(paired.degreesOfFreedom == 2)
    let welch = HypothesisTests.welch(control: [0.1, 0.1, 0.1], treatment: [0.1, 0.1])
    #expect(welch.statistic == 0 && welch.pValue == 1)
    #expect(welch.ciLower == 0 && welch.ciUpper == 0)
    #expect(welch.relativeCILower == 0 && welch.relativeCIUpper == 0)
    #expect(welch.degreesOfFreedom.isNaN)
  }

  @Test func zeroVarianceNonZeroDifference() {
    let paired = HypothesisTests.pairedT(control: [1, 2, 3, 4], treatment: [1.5, 2.5, 3.5, 4.5])
    #expect(paired.pValue == 0 && paired.statistic == .infinity)
    #expect(paired.difference == 0.5 && paired.ciLower == 0.5 && paired.ciUpper == 0.5)
    let welch = HypothesisTests.welch(control: [0.1, 0.1, 0.1], treatment: [0.3, 0.3])
    #expect(welch.pValue == 0 && welch.statistic == .infinity)
    #expect(welch.ciLower == welch.difference && welch.ciUpper == welch.difference)
    #expect(isClose(welch.relativeLift, 2, relative: 1e-15))
    #expect(welch.relativeCILower == welch.relativeLift && welch.relativeCIUpper == welch.relativeLift)
    let negative = HypothesisTests.welch(control: [2, 2], treatment: [1, 1])
    #expect(negative.statistic == -.infinity && negative.pValue == 0)
  }

  @Test func fewerThanTwoPairsGivesNaN() {
    let one = HypothesisTests.pairedT(control: [2], treatment: [3])
    #expect(one.pValue.isNaN && one.statistic.isNaN && one.degreesOfFreedom.isNaN)
    #expect(one.ciLower.isNaN && one.ciUpper.isNaN && one.relativeCILower.isNaN)
    #expect(one.difference == 1 && one.relativeLift == 0.5)
    let none = HypothesisTests.pairedT(control: [], treatment: [])
    #expect(none.pValue.isNaN && none.controlMean.isNaN && none.difference.isNaN)
    let welch = HypothesisTests.welch(control: [1], treatment: [1, 2, 3])
    #expect(welch.pValue.isNaN && welch.ciLower.isNaN && welch.difference == 1)
  }

  @Test func zeroControlMeanGivesNaNLift() {
    let r = HypothesisTests.welch(control: [-1, 1, 0], treatment: [1, 2, 3])
    #expect(r.controlMean == 0 && r.relativeLift.isNaN)
    #expect(r.relativeCILower.isNaN && r.relativeCIUpper.isNaN)
    #expect(r.pValue > 0 && r.pValue < 1)
  }

  @Test func pairedRequiresEqualLengths() async {
    await #expect(processExitsWith: .failure) {
      _ = HypothesisTests.pairedT(control: [1, 2, 3], treatment: [1, 2])
    }
  }

  @Test func sampleSummaryDegenerateSamples() {
    let empty = SampleSummary([])
    #expect(empty.count == 0 && empty.mean.isNaN && empty.standardDeviation.isNaN)
    #expect(empty.ciLower.isNaN && empty.ciUpper.isNaN && empty.standardError.isNaN)
    #expect(empty == SampleSummary([]))
    let single = SampleSummary([4.25])
    #expect(single.count == 1 && single.mean == 4.25)
    #expect(single.standardDeviation.isNaN && single.standardError.isNaN && single.ciLower.isNaN)
    let constant = SampleSummary([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
    #expect(constant.mean == 0.1 && constant.standardDeviation == 0)
    #expect(constant.ciLower == 0.1 && constant.ciUpper == 0.1)
  }

  @Test func nonFiniteInputsPropagateNaN() {
    let s = SampleSummary([1, .nan, 3])
    #expect(s.count == 3 && s.mean.isNaN && s.standardDeviation.isNaN && s.ciLower.isNaN)
    let w = HypothesisTests.welch(control: [1, 2, .nan], treatment: [2, 3, 4])
    #expect(w.pValue.isNaN && w.statistic.isNaN && w.ciLower.isNaN && w.relativeCIUpper.isNaN)
    let p = HypothesisTests.pairedT(control: [1, 2, 3], treatment: [2, .nan, 4])
    #expect(p.pValue.isNaN && p.standardError.isNaN)
  }

  @Test func confidenceLevelWidensInterval() {
    let values = [3.1, 2.7, 3.9, 4.4, 2.2, 3.3]
    let narrow = SampleSummary(values, confidence: 0.8)
    let wide = SampleSummary(values, confidence: 0.99)
    #expect(wide.ciLower < narrow.ciLower && narrow.ciUpper < wide.ciUpper)
    #expect(wide.confidence == 0.99)
    let r90 = HypothesisTests.welch(control: values, treatment: values.map { $0 + 1 }, confidence: 0.9)
    let r95 = HypothesisTests.welch(control: values, treatment: values.map { $0 + 1 })
    #expect(r95.ciLower < r90.ciLower && r90.ciUpper < r95.ciUpper)
    #expect(r90.pValue == r95.pValue)
  }

  @Test func numericallyCarefulMeanAndVariance() {
    // Large offset: naive one-pass Σx² − n·x̄² loses everything here.
    let base = 1e9
    let values = [4.0, 7.0, 13.0, 16.0].map { base + $0 }
    let s = SampleSummary(values)
    #expect(s.mean == base + 10)
    #expect(s.standardDeviation == 30.0.squareRoot())
  }

  @Test func resultsAreDeterministicAndCodable() throws {
    let control = (0..<500).map { sin(Double($0)) * 3 + 10 }
    let treatment = (0..<500).map { cos(Double($0) * 1.3) * 3 + 10.2 }
    let a = HypothesisTests.welch(control: control, treatment: treatment)
    let b = HypothesisTests.welch(control: control, treatment: treatment)
    #expect(a.pValue.bitPattern == b.pValue.bitPattern && a.ciLower.bitPattern == b.ciLower.bitPattern)
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    for value in [a, HypothesisTests.pairedT(control: [1], treatment: [2])] {
      let data = try encoder.encode(value)
      #expect(try decoder.decode(Comparison.self, from: data) == value)
    }
    let summary = SampleSummary([1, 2, 3.5])
    #expect(try decoder.decode(SampleSummary.self, from: encoder.encode(summary)) == summary)
  }
}
