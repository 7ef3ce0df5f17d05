import AdLabTensor
import Foundation
import Testing

@testable import AdLabCore

/// Estimators that stream: chunked accumulation equals one pass bit for bit, and the Poisson bootstrap's intervals
/// cover a known truth at about their nominal rate.
struct StreamingEstimatorTests {
  static func softmax(_ logs: LoggedBandit, temperature: Double = 0.1) -> [Double] {
    let k = logs.candidateCount
    var pi = [Double](repeating: 0, count: logs.count * k)
    guard let q = logs.expectedRewards else { return pi }
    for i in 0..<logs.count {
      var total = 0.0
      for a in 0..<k {
        pi[i * k + a] = AdLabMath.exp(q[i * k + a] / temperature)
        total += pi[i * k + a]
      }
      for a in 0..<k { pi[i * k + a] /= total }
    }
    return pi
  }

  static func slice(_ inputs: OffPolicyInputs, _ range: Range<Int>) -> OffPolicyInputs {
    OffPolicyInputs(
      rewards: Array(inputs.rewards[range]), weights: Array(inputs.weights[range]),
      factual: inputs.factual.isEmpty ? [] : Array(inputs.factual[range]),
      modelValue: inputs.modelValue.isEmpty ? [] : Array(inputs.modelValue[range]),
      accepted: inputs.accepted.isEmpty ? [] : Array(inputs.accepted[range]), tau: inputs.tau)
  }

  @Test func chunkedAccumulationEqualsOnePassBitwise() {
    let logs = SyntheticLogs.generate(
      rounds: 5_000, actions: 4, features: 3, logging: .softmax, key: StreamKey(seed: 5).child("stream"))
    // A reward model that is off on purpose, so DR-type terms are not trivial.
    let model = logs.expectedRewards.map { $0.map { 0.8 * $0 + 0.05 } }
    var replay: RandomStream? = RandomStream(key: StreamKey(seed: 9))
    let inputs = OffPolicyInputs.make(
      logs: logs, distribution: Self.softmax(logs), rewardModel: model, tau: 3, replay: &replay)
    let estimators: [OffPolicyEstimator] = [.dm, .ipw, .snipw, .dr, .sndr, .switchDR, .replay]
    let key = StreamKey(seed: 3).child("bootstrap")
    let whole = inputs.estimate(estimators, bootstrap: 50, alpha: 0.1, bootstrapKey: key)
    var stream = RandomStream(key: StreamKey(seed: 4))
    for _ in 0..<3 {
      var accumulator = EstimatorAccumulator(resamples: 50, bootstrapKey: key)
      var start = 0
      while start < inputs.count {
        let end = min(inputs.count, start + 1 + stream.int(below: 1_500))
        accumulator.add(Self.slice(inputs, start..<end), firstRound: start)
        start = end
      }
      let chunked = accumulator.estimates(estimators, alpha: 0.1)
      for (a, b) in zip(whole, chunked) {
        #expect(
          a.value.bitPattern == b.value.bitPattern && a.lower.bitPattern == b.lower.bitPattern
            && a.upper.bitPattern == b.upper.bitPattern)
        #expect(a.standardError?.bitPattern == b.standardError?.bitPattern, "\(a.estimator)")
      }
    }
    // And the point estimates are the plain sums of the estimators' formulas.
    let sums = EstimatorSums.over(inputs)
    #expect(whole[1].value == sums.weightedReward / Double(inputs.count))
  }

  @Test func poissonWeightsHaveMeanAndVarianceOne() {
    var total = 0.0, squares = 0.0
    let resamples = 100, rounds = 2_000
    var uniforms = [Double](repeating: 0, count: resamples), weights = uniforms
    for i in 0..<rounds {
      uniforms.withUnsafeMutableBufferPointer { u in
        weights.withUnsafeMutableBufferPointer {
          PoissonBootstrap.weights(key: StreamKey(seed: 1), round: i, uniforms: u, into: $0)
        }
      }
      for w in weights {
        total += w
        squares += w * w
      }
    }
    let n = Double(resamples * rounds), mean = total / n, variance = squares / n - mean * mean
    #expect(abs(mean - 1) < 0.01 && abs(variance - 1) < 0.02)
  }

  /// 90% intervals of IPW and SNIPW on logs with a known truth cover it in about 90% of 30 independent logs
  /// (27 expected; 21 or fewer has probability under 1% at the nominal rate), and the bootstrap's spread agrees with
  /// the analytic SE.
  @Test func poissonBootstrapCoversTheTruth() {
    let replications = 30
    var covered = [0, 0], ratios: [Double] = []
    for r in 0..<replications {
      let logs = SyntheticLogs.generate(
        rounds: 1_000, actions: 4, features: 3, logging: .softmax, key: StreamKey(seed: 100 + UInt64(r)))
      let pi = Self.softmax(logs, temperature: 0.2)
      let truth = OffPolicyInputs.trueValue(logs: logs, distribution: pi) ?? .nan
      let inputs = OffPolicyInputs.make(logs: logs, distribution: pi, rewardModel: nil, tau: .infinity, replay: nil)
      let estimates = inputs.estimate(
        [.ipw, .snipw], bootstrap: 100, alpha: 0.1, bootstrapKey: StreamKey(seed: UInt64(r)).child("b"))
      for (e, estimate) in estimates.enumerated() where estimate.lower <= truth && truth <= estimate.upper {
        covered[e] += 1
      }
      if let se = estimates[0].standardError {
        ratios.append((estimates[0].upper - estimates[0].lower) / (2 * 1.6449 * se))
      }
    }
    for count in covered { #expect((22...30).contains(count), "covered \(count) of \(replications)") }
    let meanRatio = ratios.reduce(0, +) / Double(ratios.count)
    #expect(meanRatio > 0.85 && meanRatio < 1.15, "bootstrap interval width / analytic width \(meanRatio)")
  }
}
