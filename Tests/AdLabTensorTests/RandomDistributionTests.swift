import AdLabTensor
import Foundation
import Testing

struct RandomDistributionTests {
  static let sampleCount = 100_000

  @Test func normalHasStandardMoments() {
    var stream = RandomStream(key: StreamKey(seed: 10).child("normal"))
    let samples = (0..<Self.sampleCount).map { _ in stream.normal() }
    RNGStats.expectMoments(samples, mean: 0, variance: 1, fourthCentral: 3, "normal")
    // For normal data, sample skewness and kurtosis have standard errors sqrt(6/n) and sqrt(24/n).
    let moments = RNGStats.SampleMoments(samples)
    let n = Double(samples.count)
    let skewness = moments.thirdCentral / pow(moments.variance, 1.5)
    let kurtosis = moments.fourthCentral / (moments.variance * moments.variance)
    #expect(abs(skewness) <= RNGStats.zTolerance * (6 / n).squareRoot(), "skewness \(skewness)")
    #expect(abs(kurtosis - 3) <= RNGStats.zTolerance * (24 / n).squareRoot(), "kurtosis \(kurtosis)")
  }

  @Test func normalFollowsItsCDF() {
    var stream = RandomStream(key: StreamKey(seed: 11))
    let samples = (0..<20_000).map { _ in stream.normal() }
    let statistic = RNGStats.kolmogorovSmirnovScaled(samples) { 0.5 * erfc(-$0 / 2.0.squareRoot()) }
    #expect(statistic < RNGStats.kolmogorov999, "KS sqrt(n)·D = \(statistic)")
  }

  @Test func normalBinsMatchIncludingTails() {
    // 14 bins with edges at ±3, ±2.5, ..., 0; chi-square against Φ (df 13).
    var stream = RandomStream(key: StreamKey(seed: 19))
    let edges = stride(from: -3.0, through: 3.0, by: 0.5).map { $0 }
    let phi = { (x: Double) in 0.5 * erfc(-x / 2.0.squareRoot()) }
    var probabilities = [phi(edges[0])]
    for i in 1..<edges.count { probabilities.append(phi(edges[i]) - phi(edges[i - 1])) }
    probabilities.append(1 - phi(edges[edges.count - 1]))
    var counts = [Int](repeating: 0, count: probabilities.count)
    for _ in 0..<Self.sampleCount {
      let x = stream.normal()
      counts[edges.firstIndex { x < $0 } ?? edges.count] += 1
    }
    RNGStats.expectChiSquareFit(counts: counts, probabilities: probabilities, "normal bins")
  }

  @Test func normalTailBeyondZigguratBaseIsRight() {
    // Draws with |x| > r = 3.6541528853610088 come from the ziggurat's tail sampler. Their count is binomial with
    // p = 2Q(r), and their mean excess |x| − r is φ(r)/Q(r) − r, with standard error sd(excess)/sqrt(count).
    let r = 3.6541528853610088, n = 400_000
    var stream = RandomStream(key: StreamKey(seed: 26))
    var excess: [Double] = []
    for _ in 0..<n {
      let x = abs(stream.normal())
      if x > r { excess.append(x - r) }
    }
    let q = 0.5 * erfc(r / 2.0.squareRoot())
    let p = 2 * q
    let countSE = (Double(n) * p * (1 - p)).squareRoot()
    #expect(
      abs(Double(excess.count) - Double(n) * p) <= RNGStats.zTolerance * countSE, "tail count \(excess.count)")
    let pdf = exp(-r * r / 2) / (2 * Double.pi).squareRoot()
    let meanExcess = pdf / q - r
    // E[Z² | Z > r] = 1 + r·φ(r)/Q(r), so Var(Z − r | Z > r) = 1 + r·φ/Q − (φ/Q)².
    let varianceExcess = 1 + r * pdf / q - (pdf / q) * (pdf / q)
    let moments = RNGStats.SampleMoments(excess)
    let meanSE = (varianceExcess / moments.count).squareRoot()
    #expect(
      abs(moments.mean - meanExcess) <= RNGStats.zTolerance * meanSE,
      "mean excess \(moments.mean) vs \(meanExcess)")
  }

  @Test func normalWithMeanAndSDScales() {
    var stream = RandomStream(key: StreamKey(seed: 12))
    let samples = (0..<Self.sampleCount).map { _ in stream.normal(mean: 3, sd: 2) }
    RNGStats.expectMoments(samples, mean: 3, variance: 4, fourthCentral: 48, "normal(mean: 3, sd: 2)")
  }

  @Test func exponentialHasUnitMoments() {
    var stream = RandomStream(key: StreamKey(seed: 13))
    let samples = (0..<Self.sampleCount).map { _ in stream.exponential() }
    #expect(samples.allSatisfy { $0 > 0 && $0.isFinite })
    RNGStats.expectMoments(samples, mean: 1, variance: 1, fourthCentral: 9, "exponential")
  }

  @Test(arguments: [0.3, 1.0, 2.5, 40.0])
  func gammaMeanAndVarianceEqualShape(shape: Double) {
    var stream = RandomStream(key: StreamKey(seed: 14).child("gamma").child(String(shape)))
    let samples = (0..<50_000).map { _ in stream.gamma(shape: shape) }
    #expect(samples.allSatisfy { $0 >= 0 && $0.isFinite })
    // Gamma(k, 1): variance k, fourth central moment 3k² + 6k.
    RNGStats.expectMoments(
      samples, mean: shape, variance: shape, fourthCentral: 3 * shape * shape + 6 * shape, "gamma")
  }

  @Test func gammaFollowsItsCDF() {
    var stream = RandomStream(key: StreamKey(seed: 15))
    let samples = (0..<20_000).map { _ in stream.gamma(shape: 2.5) }
    let statistic = RNGStats.kolmogorovSmirnovScaled(samples) { RNGStats.regularizedLowerGamma(2.5, $0) }
    #expect(statistic < RNGStats.kolmogorov999, "KS sqrt(n)·D = \(statistic)")
    // The series itself, checked at a point with a closed form: P(1, x) = 1 − e^(−x).
    #expect(abs(RNGStats.regularizedLowerGamma(1, 2) - (1 - exp(-2))) < 1e-12)
  }

  @Test(arguments: [(2.0, 3.0), (0.5, 0.5), (0.2, 5.0), (30.0, 10.0)])
  func betaMatchesMoments(a: Double, b: Double) {
    var stream = RandomStream(key: StreamKey(seed: 16).child("beta").child("\(a),\(b)"))
    let samples = (0..<40_000).map { _ in stream.beta(a, b) }
    #expect(samples.allSatisfy { $0 >= 0 && $0 <= 1 })
    // E[X^r] = Π_{i<r} (a + i) / (a + b + i).
    var raw: [Double] = []
    var product = 1.0
    for i in 0..<4 {
      product *= (a + Double(i)) / (a + b + Double(i))
      raw.append(product)
    }
    let expected = RNGStats.centralMoments(raw: raw)
    RNGStats.expectMoments(
      samples, mean: expected.mean, variance: expected.variance, fourthCentral: expected.fourthCentral,
      "beta(\(a), \(b))")
  }

  @Test func tinyShapesStayFinite() {
    var stream = RandomStream(key: StreamKey(seed: 17))
    for _ in 0..<2_000 {
      let g = stream.gamma(shape: 0.01)
      #expect(g >= 0 && g.isFinite)
      let x = stream.beta(0.01, 0.01)
      #expect(x >= 0 && x <= 1)
    }
  }

  @Test func fillsEqualRepeatedCalls() {
    var filled = RandomStream(key: StreamKey(seed: 18))
    var single = filled
    var buffer = [Double](repeating: .nan, count: 25)
    buffer.withUnsafeMutableBufferPointer { filled.fillBeta(alpha: 2, beta: 3, into: $0) }
    #expect(buffer == (0..<25).map { _ in single.beta(2, 3) })

    let alphas = (0..<25).map { 0.3 + Double($0) }, betas = (0..<25).map { 40 / (1 + Double($0)) }
    alphas.withUnsafeBufferPointer { a in
      betas.withUnsafeBufferPointer { b in
        buffer.withUnsafeMutableBufferPointer { filled.fillBeta(alpha: a, beta: b, into: $0) }
      }
    }
    #expect(buffer == (0..<25).map { single.beta(alphas[$0], betas[$0]) })

    buffer.withUnsafeMutableBufferPointer { filled.fillGamma(shape: 0.7, into: $0) }
    #expect(buffer == (0..<25).map { _ in single.gamma(shape: 0.7) })
    buffer.withUnsafeMutableBufferPointer { filled.fillNormal(into: $0) }
    #expect(buffer == (0..<25).map { _ in single.normal() })
    #expect(filled.next() == single.next())
  }
}
