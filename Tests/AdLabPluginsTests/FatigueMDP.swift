import AdLabCore
import AdLabTensor

/// A small market where showing ads now costs later: each user has a hidden fatigue level f ∈ 0…3, served as the
/// dense feature `recent_exposures`. A page with m ads (two slots, two candidate ads worth 1 and 0.6) earns
/// `Σ value · appeal(f)` in expected clicks, written as fractional clicks so the reward is exact. Between visits
/// fatigue moves to `clamp(f + m − D, 0, 3)`, where the recovery D is 1 with probability `recovery`, else 0.
/// Users visit in turn (decision j is user j mod users), so a batch of `users` decisions has each user once.
///
/// Showing both ads is always best for the current visit, but the appeal falls steeply with fatigue, so the
/// long-run optimum (found by `valueIteration`) shows fewer ads to tired users.
final class FatigueMDP: Environment {
  static let levels = 4
  static let appeal = [1.0, 1.0, 0.4, 0.15]
  static let adValues = [1.0, 0.6]
  static let recovery = 0.9

  let users: Int
  private var fatigue: [Int]
  private let key: StreamKey

  init(users: Int, key: StreamKey) {
    self.users = users
    fatigue = [Int](repeating: 0, count: users)
    self.key = key
  }

  var candidateCount: Int { 2 }
  var slotCount: Int { 2 }
  var featureSchema: FeatureSchema { FeatureSchema(dense: [.init("recent_exposures", side: .user)]) }
  var outcomeColumns: OutcomeColumns { .clicks }
  var hasOracle: Bool { false }

  func nextBatch(firstStep: Int, count: Int) -> DecisionBatch {
    let steps = Array(firstStep..<(firstStep + count))
    var features = FeatureBatch()
    features.decisionDense = steps.map { Float(fatigue[$0 % users]) }
    var batch = DecisionBatch(
      steps: steps, userIDs: steps.map { UInt64($0 % users) }, candidateCount: 2, slotCount: 2,
      schema: featureSchema, features: features)
    // The ranking the policies use within a page: the ads' values, as a perfect interest model would give.
    batch.predictions = Predictions(click: steps.flatMap { _ in Self.adValues })
    return batch
  }

  func resolve(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, into outcomes: inout OutcomeBatch) {
    for i in 0..<batch.count {
      let user = Int(batch.userIDs[i]), f = fatigue[user]
      var shown = 0
      for s in 0..<2 {
        let a = actions[i * 2 + s]
        outcomes.impressions[i * 2 + s] = a == DecisionBatch.noAd ? 0 : 1
        outcomes.clicks[i * 2 + s] = a == DecisionBatch.noAd ? 0 : Self.adValues[Int(a)] * Self.appeal[f]
        if a != DecisionBatch.noAd { shown += 1 }
      }
      let recovered = CounterRandom.uniform(key: key, UInt64(batch.steps[i]), 0) < Self.recovery ? 1 : 0
      fatigue[user] = min(max(f + shown - recovered, 0), Self.levels - 1)
    }
  }

  func expectedOutcomes(_ batch: DecisionBatch, into outcomes: inout OutcomeBatch) {}

  /// Q*(f, m) by value iteration on the per-visit MDP (m ads shown fills the best m ads), iterated to a fixed point.
  static func valueIteration(gamma: Double) -> [[Double]] {
    var value = [Double](repeating: 0, count: levels)
    var q = [[Double]](repeating: [0, 0, 0], count: levels)
    for _ in 0..<2_000 {
      for f in 0..<levels {
        for m in 0...2 {
          let reward = appeal[f] * adValues.prefix(m).reduce(0, +)
          let recovered = value[min(max(f + m - 1, 0), levels - 1)], stuck = value[min(f + m, levels - 1)]
          q[f][m] = reward + gamma * (recovery * recovered + (1 - recovery) * stuck)
        }
      }
      value = q.map { $0.max() ?? 0 }
    }
    return q
  }

  /// Runs `policy` for `batches` batches of one visit per user; returns every action written.
  static func run(_ policy: any Policy, batches: Int, users: Int = 20, seed: UInt64 = 1) -> [Int32] {
    let environment = FatigueMDP(users: users, key: StreamKey(seed: seed).child("fatigue"))
    var log: [Int32] = []
    var outcomes = OutcomeBatch(count: users * 2)
    for b in 0..<batches {
      let batch = environment.nextBatch(firstStep: b * users, count: users)
      var actions = [Int32](repeating: DecisionBatch.noAd, count: batch.actionCount)
      actions.withUnsafeMutableBufferPointer { policy.choose(batch, actions: $0, propensities: nil) }
      outcomes.reset(count: batch.actionCount)
      actions.withUnsafeBufferPointer { environment.resolve(batch, actions: $0, into: &outcomes) }
      let rewards = outcomes.clicks
      actions.withUnsafeBufferPointer { a in
        rewards.withUnsafeBufferPointer { r in policy.update(batch, actions: a, rewards: r) }
      }
      log += actions
    }
    return log
  }
}
