import AdLabTensor
import Foundation
import Testing

@testable import AdLabCore

/// Statistical properties of the off-policy estimators on synthetic logs with a known truth.
struct OffPolicyEstimatorTests {
  /// A stochastic evaluation policy: a softmax of the true click probabilities (temperature 0.1).
  static func softmaxPolicy(_ logs: LoggedBandit) -> [Double] {
    let k = logs.candidateCount
    var pi = [Double](repeating: 0, count: logs.count * k)
    guard let q = logs.expectedRewards else { return pi }
    for i in 0..<logs.count {
      var total = 0.0
      for a in 0..<k {
        pi[i * k + a] = exp(q[i * k + a] / 0.1)
        total += pi[i * k + a]
      }
      for a in 0..<k { pi[i * k + a] /= total }
    }
    return pi
  }

  /// A deliberately wrong reward model: 0.3 for every action.
  static func wrongModel(_ logs: LoggedBandit) -> [Double] {
    [Double](repeating: 0.3, count: logs.count * logs.candidateCount)
  }

  static func logs(seed: UInt64, rounds: Int, logging: SyntheticLogs.Logging = .softmax) -> LoggedBandit {
    SyntheticLogs.generate(
      rounds: rounds, actions: 5, features: 3, logging: logging, key: StreamKey(seed: seed).child("test"))
  }

  /// Mean of (estimate − truth) over many seeds lies within 4 standard errors of 0: IPW always, DR with a wrong model.
  @Test func ipwAndDRAreUnbiased() {
    var ipw: [Double] = [], dr: [Double] = []
    for seed in 0..<300 {
      let logs = Self.logs(seed: UInt64(seed), rounds: 200)
      let pi = Self.softmaxPolicy(logs)
      let truth = OffPolicyInputs.trueValue(logs: logs, distribution: pi) ?? .nan
      let inputs = OffPolicyInputs.make(
        logs: logs, distribution: pi, rewardModel: Self.wrongModel(logs), tau: .infinity, replay: nil)
      let sums = EstimatorSums.over(inputs)
      ipw.append(sums.value(.ipw) - truth)
      dr.append(sums.value(.dr) - truth)
    }
    for errors in [ipw, dr] {
      let mean = errors.reduce(0, +) / Double(errors.count)
      let sd = (errors.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(errors.count - 1)).squareRoot()
      let bound: Double = 4 * sd / Double(errors.count).squareRoot()
      #expect(abs(mean) < bound, "mean error \(mean), sd \(sd)")
    }
  }

  /// On many rounds the self-normalised and switched estimators, and DM with the true model, come close to the truth,
  /// and the analytic SEs of IPW and DR agree with the estimators' spread over seeds.
  @Test func consistentEstimatorsApproachTheTruth() {
    let logs = Self.logs(seed: 42, rounds: 60_000)
    let pi = Self.softmaxPolicy(logs)
    let truth = OffPolicyInputs.trueValue(logs: logs, distribution: pi) ?? .nan
    let wrong = OffPolicyInputs.make(
      logs: logs, distribution: pi, rewardModel: Self.wrongModel(logs), tau: 5, replay: nil)
    let exact = OffPolicyInputs.make(
      logs: logs, distribution: pi, rewardModel: logs.expectedRewards, tau: 5, replay: nil)
    let estimates = wrong.estimate(
      [.ipw, .snipw, .dr, .sndr], bootstrap: 0, alpha: 0.05, bootstrapKey: StreamKey(seed: 1))
    for e in estimates {
      let error: Double = abs(e.value - truth), bound: Double = 4 * (e.standardError ?? 0) + 1e-9
      #expect(error < bound, "\(e.estimator): \(e.value) vs \(truth)")
      #expect(error / truth < 0.05, "\(e.estimator): \(e.value) vs \(truth)")
    }
    let dm = EstimatorSums.over(exact)
    #expect(abs(dm.value(.dm) - truth) < 1e-12)
    // With the true model, Switch-DR is unbiased for any τ; with τ → ∞ it is DR.
    #expect(abs(dm.value(.switchDR) - truth) / truth < 0.05)
    let infinite = OffPolicyInputs.make(
      logs: logs, distribution: pi, rewardModel: Self.wrongModel(logs), tau: .infinity, replay: nil)
    #expect(EstimatorSums.over(infinite).value(.switchDR) == EstimatorSums.over(infinite).value(.dr))
  }

  /// Replay on uniform logs: unbiased for the policy's value (kept rounds are distributed as the policy acts).
  @Test func replayOnUniformLogsIsUnbiased() {
    var errors: [Double] = []
    for seed in 0..<200 {
      let logs = Self.logs(seed: UInt64(seed), rounds: 400, logging: .uniform)
      let pi = Self.softmaxPolicy(logs)
      let truth = OffPolicyInputs.trueValue(logs: logs, distribution: pi) ?? .nan
      let inputs = OffPolicyInputs.make(
        logs: logs, distribution: pi, rewardModel: nil, tau: .infinity,
        replay: RandomStream(key: StreamKey(seed: UInt64(seed)).child("replay")))
      let value = EstimatorSums.over(inputs).value(.replay)
      if value.isFinite { errors.append(value - truth) }
    }
    let mean = errors.reduce(0, +) / Double(errors.count)
    let sd = (errors.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(errors.count - 1)).squareRoot()
    let bound: Double = 4 * sd / Double(errors.count).squareRoot() + 0.01
    #expect(abs(mean) < bound, "mean error \(mean)")
  }

  /// IPW, SNIPW, DM and DR point estimates do not depend on the order of the rounds (up to rounding).
  @Test func pointEstimatesIgnoreRoundOrder() {
    let logs = Self.logs(seed: 5, rounds: 3000)
    let pi = Self.softmaxPolicy(logs)
    let inputs = OffPolicyInputs.make(
      logs: logs, distribution: pi, rewardModel: Self.wrongModel(logs), tau: .infinity, replay: nil)
    var order = Array(0..<inputs.count)
    var stream = RandomStream(key: StreamKey(seed: 9))
    stream.shuffle(&order)
    let shuffled = OffPolicyInputs(
      rewards: order.map { inputs.rewards[$0] }, weights: order.map { inputs.weights[$0] },
      factual: order.map { inputs.factual[$0] }, modelValue: order.map { inputs.modelValue[$0] }, tau: .infinity)
    let a = EstimatorSums.over(inputs), b = EstimatorSums.over(shuffled)
    for estimator in [OffPolicyEstimator.ipw, .snipw, .dm, .dr, .sndr] {
      let difference: Double = abs(a.value(estimator) - b.value(estimator)), scale: Double = abs(a.value(estimator))
      #expect(difference <= 1e-12 * scale, "\(estimator)")
    }
  }

  /// The bootstrap is seeded: the same key gives the same interval, another key another one; it brackets the estimate.
  @Test func bootstrapIsSeeded() {
    let logs = Self.logs(seed: 6, rounds: 2000)
    let inputs = OffPolicyInputs.make(
      logs: logs, distribution: Self.softmaxPolicy(logs), rewardModel: nil, tau: .infinity, replay: nil)
    let one = inputs.estimate([.ipw, .snipw], bootstrap: 100, alpha: 0.1, bootstrapKey: StreamKey(seed: 1))
    let again = inputs.estimate([.ipw, .snipw], bootstrap: 100, alpha: 0.1, bootstrapKey: StreamKey(seed: 1))
    let other = inputs.estimate([.ipw, .snipw], bootstrap: 100, alpha: 0.1, bootstrapKey: StreamKey(seed: 2))
    #expect(one == again)
    #expect(one != other)
    for e in one { #expect(e.lower < e.value && e.value < e.upper) }
  }
}
