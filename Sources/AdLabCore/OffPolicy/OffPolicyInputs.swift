import AdLabTensor

/// What every estimator reads, per round: the reward, the importance weight, the reward model's prediction
/// for the logged action and its expectation under the evaluation policy, and replay's acceptance.
/// Built once per (logs, evaluation policy); estimators and bootstrap resamples only sum these.
public struct OffPolicyInputs: Sendable {
  public var rewards: [Double]
  /// `w_i = π(a_i | x_i, s_i) / p_i`.
  public var weights: [Double]
  /// `q̂(x_i, a_i, s_i)` (empty without a reward model).
  public var factual: [Double]
  /// `q̂_π(x_i) = Σ_a π(a | x_i, s_i) q̂(x_i, a, s_i)` (empty without a reward model).
  public var modelValue: [Double]
  /// Replay's kept rounds as 0/1 (empty when replay was not asked for).
  public var accepted: [Double]
  /// Switch-DR's threshold τ.
  public var tau: Double

  public init(
    rewards: [Double], weights: [Double], factual: [Double] = [], modelValue: [Double] = [], accepted: [Double] = [],
    tau: Double = .infinity
  ) {
    self.rewards = rewards
    self.weights = weights
    self.factual = factual
    self.modelValue = modelValue
    self.accepted = accepted
    self.tau = tau
  }

  public var count: Int { rewards.count }
  public var hasModel: Bool { !factual.isEmpty }

  /// Builds the inputs from logs and an evaluation policy's distribution (rounds × slots × candidates).
  /// - Parameters:
  ///   - rewardModel: q̂ for every (round, candidate) in the round's logged slot, rounds × candidates, or nil.
  ///   - replay: seeded stream for replay's draws, or nil to skip replay.
  public static func make(
    logs: LoggedBandit, distribution: [Double], rewardModel: [Double]?, tau: Double, replay: RandomStream?
  ) -> OffPolicyInputs {
    var stream = replay
    return make(logs: logs, distribution: distribution, rewardModel: rewardModel, tau: tau, replay: &stream)
  }

  /// `make` for one chunk of a stream of rounds: replay's stream carries on from the previous chunk, so chunked
  /// inputs equal one pass's.
  static func make(
    logs: LoggedBandit, distribution: [Double], rewardModel: [Double]?, tau: Double, replay: inout RandomStream?
  ) -> OffPolicyInputs {
    let n = logs.count, k = logs.candidateCount, slots = logs.slotCount
    precondition(distribution.count == n * slots * k, "distribution must be rounds × slots × candidates")
    var weights = [Double](repeating: 0, count: n)
    var factual: [Double] = [], modelValue: [Double] = [], accepted: [Double] = []
    if rewardModel != nil {
      factual = weights
      modelValue = weights
    }
    let replaying = replay != nil
    var stream = replay ?? RandomStream(key: StreamKey(seed: 0))
    defer { if replaying { replay = stream } }
    if replaying { accepted = weights }
    distribution.withUnsafeBufferPointer { pi in
      for i in 0..<n {
        let row = (i * slots + Int(logs.slots[i])) * k
        let a = Int(logs.actions[i])
        weights[i] = pi[row + a] / logs.propensities[i]
        if let q = rewardModel {
          var expected = 0.0
          for c in 0..<k { expected += pi[row + c] * q[i * k + c] }
          modelValue[i] = expected
          factual[i] = q[i * k + a]
        }
        if replaying {
          let u = stream.uniform()
          var cumulative = 0.0, drawn = k - 1
          for c in 0..<k {
            cumulative += pi[row + c]
            if u < cumulative {
              drawn = c
              break
            }
          }
          accepted[i] = drawn == a ? 1 : 0
        }
      }
    }
    return OffPolicyInputs(
      rewards: logs.rewards, weights: weights, factual: factual, modelValue: modelValue, accepted: accepted, tau: tau)
  }

  /// The exact value of a policy when the logs carry every candidate's expected reward (simulations):
  /// `V = (1/n) Σ_i Σ_a π(a | x_i, s_i) q(x_i, a, s_i)`.
  public static func trueValue(logs: LoggedBandit, distribution: [Double]) -> Double? {
    trueTotal(logs: logs, distribution: distribution).map { $0 / Double(max(1, logs.count)) }
  }

  /// `n · trueValue`: the sum over rounds, which chunks of a stream add up in round order.
  static func trueTotal(logs: LoggedBandit, distribution: [Double]) -> Double? {
    guard let q = logs.expectedRewards else { return nil }
    let n = logs.count, k = logs.candidateCount, slots = logs.slotCount
    var total = 0.0
    for i in 0..<n {
      let row = (i * slots + Int(logs.slots[i])) * k
      var v = 0.0
      for c in 0..<k { v += distribution[row + c] * q[i * k + c] }
      total += v
    }
    return total
  }
}
