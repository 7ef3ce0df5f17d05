import AdLabTensor
import Foundation

/// What one job (one variant in one replication) produced.
public struct JobResult: Sendable {
  public var totals: MetricTotals
  /// Totals per report window, in step order.
  public var windows: [MetricTotals]
}

/// Runs one variant for one replication: serve a batch, choose, resolve, reward, then learn.
///
/// Everything in a job is single-threaded and seeded from named streams, so a job's result depends only
/// on (spec, variant, replication), whichever thread runs it and whatever else runs beside it.
struct JobRunner {
  let spec: ExperimentSpec
  let variantIndex: Int
  let replication: Int

  func run() throws -> JobResult {
    let seed = spec.seed
    let environment = try spec.environment.make(context(.environment, candidates: 0, schema: .empty))
    let candidates = environment.candidateCount
    let schema = environment.featureSchema
    let variant = spec.variants[variantIndex]
    let model = try variant.model?.make(context(.model, candidates: candidates, schema: schema))
    let policy = try variant.policy.make(context(.policy, candidates: candidates, schema: schema))
    let reward = try spec.reward.make(context(.reward, candidates: candidates, schema: schema))
    let split = spec.mode == .split
      ? TrafficSplit(key: RandomStreams.assignment(seed: seed, replication: replication), weights: spec.variants.map(\.weight))
      : nil

    let windowCount = (spec.horizon + spec.reportEvery - 1) / spec.reportEvery
    var windows = [MetricTotals](repeating: MetricTotals(), count: windowCount)
    var outcomes = OutcomeBatch(count: 0)
    var expected = OutcomeBatch(count: 0)
    var actions: [Int32] = []
    var rewards: [Double] = []
    var expectedRewards: [Double] = []

    var step = 0
    while step < spec.horizon {
      let count = min(spec.batchSize, spec.horizon - step)
      var batch = environment.nextBatch(firstStep: step, count: count)
      step += count
      if let split {
        let mine = (0..<batch.count).filter { split.variant(for: batch.userIDs[$0]) == variantIndex }
        batch = batch.subset(mine)
      }
      let n = batch.count
      guard n > 0 else { continue }

      if let model {
        var predictions = Predictions(count: n * candidates, conversions: model.predictsConversions)
        model.predict(batch, into: &predictions)
        batch.predictions = predictions
      }
      actions = [Int32](repeating: 0, count: n)
      rewards = [Double](repeating: 0, count: n)
      actions.withUnsafeMutableBufferPointer { policy.choose(batch, actions: $0, propensities: nil) }
      outcomes.prepare(count: n)
      actions.withUnsafeBufferPointer { environment.resolve(batch, actions: $0, into: &outcomes) }
      rewards.withUnsafeMutableBufferPointer { reward.rewards(for: outcomes, into: $0) }

      var regrets: [Double] = []
      if environment.hasOracle {
        expected.prepare(count: n * candidates)
        environment.expectedOutcomes(batch, into: &expected)
        expectedRewards = [Double](repeating: 0, count: n * candidates)
        expectedRewards.withUnsafeMutableBufferPointer { reward.rewards(for: expected, into: $0) }
        regrets = Self.regrets(expectedRewards, actions: actions, candidates: candidates)
      }

      Self.accumulate(batch.steps, outcomes, rewards, regrets, reportEvery: spec.reportEvery, into: &windows)
      if let predictions = batch.predictions {
        Self.accumulateModelQuality(batch.steps, predictions.click, actions: actions, outcomes: outcomes, candidates: candidates, reportEvery: spec.reportEvery, into: &windows)
      }
      if let model {
        actions.withUnsafeBufferPointer { model.learn(batch, actions: $0, outcomes: outcomes) }
      }
      actions.withUnsafeBufferPointer { a in
        rewards.withUnsafeBufferPointer { r in policy.update(batch, actions: a, rewards: r) }
      }
    }
    var totals = MetricTotals()
    for window in windows { totals += window }
    return JobResult(totals: totals, windows: windows)
  }

  private func context(_ kind: PluginKind, candidates: Int, schema: FeatureSchema) -> PluginContext {
    PluginContext(
      key: RandomStreams.plugin(kind, seed: spec.seed, replication: replication), replication: replication,
      horizon: spec.horizon, batchSize: spec.batchSize, candidateCount: candidates, featureSchema: schema)
  }

  /// Adds the model's prediction for each shown ad, and its log loss against the click, to the windows.
  static func accumulateModelQuality(
    _ steps: [Int], _ clickProbabilities: [Double], actions: [Int32], outcomes: OutcomeBatch, candidates: Int, reportEvery: Int,
    into windows: inout [MetricTotals]
  ) {
    for i in 0..<steps.count {
      let p = min(max(clickProbabilities[i * candidates + Int(actions[i])], 1e-15), 1 - 1e-15)
      let clicked = outcomes.clicks[i] > 0
      let w = steps[i] / reportEvery
      windows[w].predicted += 1
      windows[w].predictedClicks += p
      windows[w].logLoss -= clicked ? log(p) : log(1 - p)
    }
  }

  /// Adds each decision's outcome to its report window. Steps are increasing within a batch, so a window's
  /// sums are kept in locals and stored once per window change; the order of additions is the decision order.
  static func accumulate(
    _ steps: [Int], _ outcomes: OutcomeBatch, _ rewards: [Double], _ regrets: [Double], reportEvery: Int,
    into windows: inout [MetricTotals]
  ) {
    guard let first = steps.first else { return }
    var window = first / reportEvery
    var sums = windows[window]
    let hasRegret = !regrets.isEmpty
    for i in 0..<steps.count {
      let w = steps[i] / reportEvery
      if w != window {
        windows[window] = sums
        window = w
        sums = windows[w]
      }
      sums.decisions += 1
      sums.impressions += outcomes.impressions[i]
      sums.clicks += outcomes.clicks[i]
      sums.conversions += outcomes.conversions[i]
      sums.revenue += outcomes.revenue[i]
      sums.cost += outcomes.cost[i]
      sums.reward += rewards[i]
      if hasRegret { sums.regret += regrets[i] }
    }
    windows[window] = sums
  }

  /// Best expected reward of each decision minus the expected reward of the chosen candidate.
  static func regrets(_ expected: [Double], actions: [Int32], candidates: Int) -> [Double] {
    expected.withUnsafeBufferPointer { e in
      actions.indices.map { i in
        let row = i * candidates
        var best = e[row]
        for k in 1..<max(candidates, 1) where e[row + k] > best { best = e[row + k] }
        return best - e[row + Int(actions[i])]
      }
    }
  }
}
