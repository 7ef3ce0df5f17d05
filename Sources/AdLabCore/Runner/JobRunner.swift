import AdLabTensor
import Foundation

/// What one job (one variant in one replication) produced.
public struct JobResult: Sendable {
  public var totals: MetricTotals
  /// Totals per report window, in step order.
  public var windows: [MetricTotals]
  /// The job's decision log rows (`log: decisions`), nil otherwise.
  var decisionLog: DecisionLog?
}

/// Runs one variant for one replication: serve a batch, choose, resolve, reward, then learn.
///
/// Everything in a job is single-threaded and seeded from named streams, so a job's result depends only
/// on (spec, variant, replication), whichever thread runs it and whatever else runs beside it.
struct JobRunner {
  let spec: ExperimentSpec
  let variantIndex: Int
  let replication: Int
  /// Checked before each batch; a requested stop abandons the job (nil result).
  var stop: StopRequest? = nil

  /// The job's result, or nil when a stop was requested before it finished.
  func run() throws -> JobResult? {
    let seed = spec.seed
    let environment = try spec.environment.make(context(.environment, candidates: 0, schema: .empty))
    let candidates = environment.candidateCount, slots = environment.slotCount
    let schema = environment.featureSchema
    let variant = spec.variants[variantIndex]
    let model = try variant.model?.make(context(.model, candidates: candidates, schema: schema, environment: environment, variant: variant.name))
    let policy = try variant.policy.make(context(.policy, candidates: candidates, schema: schema, environment: environment, variant: variant.name))
    let reward = try (variant.reward ?? spec.reward).make(context(.reward, candidates: candidates, schema: schema, environment: environment))
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
    var market = environment.marketCounters()
    // Propensities are asked for only when they are logged: some policies pay more for them than for the choice.
    var log: DecisionLog? = spec.logDecisions
      ? DecisionLog(header: DecisionLog.header(schema: schema, candidates: candidates, oracle: environment.hasOracle)) : nil
    var propensities: [Double] = []

    var step = 0
    while step < spec.horizon {
      if stop?.isRequested == true { return nil }
      let count = min(spec.batchSize, spec.horizon - step)
      var batch = environment.nextBatch(firstStep: step, count: count)
      step += count
      if let split {
        let mine = (0..<batch.count).filter { split.variant(for: batch.userIDs[$0]) == variantIndex }
        batch = batch.subset(mine)
      }
      // Market counters go to the window of the batch's last step. They move even in a batch without decisions
      // (budgets are released at day starts; a batch may have fewer decisions than steps when users are away).
      func collectMarket() {
        if let counters = environment.marketCounters(), let before = market {
          windows[(step - 1) / spec.reportEvery].market += counters - before
          market = counters
        }
      }
      let n = batch.count
      guard n > 0 else {
        collectMarket()
        continue
      }
      let entries = n * slots

      if let model {
        var predictions = Predictions(count: n * candidates, conversions: model.predictsConversions)
        model.predict(batch, into: &predictions)
        try PluginFailure.check(model)
        batch.predictions = predictions
      }
      actions = [Int32](repeating: DecisionBatch.noAd, count: entries)
      rewards = [Double](repeating: 0, count: entries)
      if log != nil {
        propensities = [Double](repeating: .nan, count: entries)
        actions.withUnsafeMutableBufferPointer { a in
          propensities.withUnsafeMutableBufferPointer { policy.choose(batch, actions: a, propensities: $0) }
        }
      } else {
        actions.withUnsafeMutableBufferPointer { policy.choose(batch, actions: $0, propensities: nil) }
      }
      try PluginFailure.check(policy)
      if let violation = actions.withUnsafeBufferPointer({
        PolicyContractViolation.first(
          in: $0, candidates: candidates, slots: slots, variant: variant.name, plugin: variant.policy.name)
      }) {
        throw violation
      }

      // The oracle reads the market as the policy saw it, so it runs before `resolve` changes it.
      var regrets: [Double] = []
      if environment.hasOracle {
        expected.prepare(count: entries * candidates)
        environment.expectedOutcomes(batch, into: &expected)
        expectedRewards = [Double](repeating: 0, count: entries * candidates)
        expectedRewards.withUnsafeMutableBufferPointer { reward.rewards(for: expected, into: $0) }
        regrets = Self.regrets(expectedRewards, actions: actions, candidates: candidates, slots: slots)
      }
      outcomes.prepare(count: entries)
      actions.withUnsafeBufferPointer { environment.resolve(batch, actions: $0, into: &outcomes) }
      rewards.withUnsafeMutableBufferPointer { reward.rewards(for: outcomes, into: $0) }
      reward.observe(outcomes)
      log?.append(
        variant: variant.name, replication: replication, batch: batch, actions: actions, propensities: propensities,
        rewards: rewards, outcomes: outcomes, expectedRewards: environment.hasOracle ? expectedRewards : nil)

      Self.accumulate(batch.steps, slots: slots, outcomes, rewards, regrets, reportEvery: spec.reportEvery, into: &windows)
      collectMarket()
      if let predictions = batch.predictions {
        Self.accumulateModelQuality(
          batch.steps, predictions.click, actions: actions, outcomes: outcomes, candidates: candidates, slots: slots,
          reportEvery: spec.reportEvery, into: &windows)
      }
      if let model {
        if slots == 1 && !actions.contains(DecisionBatch.noAd) && !outcomes.impressions.contains(0) {
          actions.withUnsafeBufferPointer { model.learn(batch, actions: $0, outcomes: outcomes) }
        } else {
          let shown = Self.shownImpressions(batch, actions: actions, outcomes: outcomes)
          shown.actions.withUnsafeBufferPointer { model.learn(shown.batch, actions: $0, outcomes: shown.outcomes) }
        }
        try PluginFailure.check(model)
      }
      actions.withUnsafeBufferPointer { a in
        rewards.withUnsafeBufferPointer { r in policy.update(batch, actions: a, rewards: r) }
      }
      try PluginFailure.check(policy)
    }
    var totals = MetricTotals()
    for window in windows { totals += window }
    return JobResult(totals: totals, windows: windows, decisionLog: log)
  }

  /// The shown ads of a slotted batch as one decision per impression (the decision repeated for each filled
  /// slot), which is the one-ad-per-decision view interest models learn from. A chosen ad the environment did not
  /// show (it lost the slot's auction, or its budget ran out) is left out: a model of P(click | shown) must not
  /// learn a non-click from it.
  static func shownImpressions(_ batch: DecisionBatch, actions: [Int32], outcomes: OutcomeBatch)
    -> (batch: DecisionBatch, actions: [Int32], outcomes: OutcomeBatch)
  {
    let slots = batch.slotCount
    var positions: [Int] = [], shownActions: [Int32] = [], entries: [Int] = []
    for (entry, action) in actions.enumerated() where action != DecisionBatch.noAd && outcomes.impressions[entry] > 0 {
      positions.append(entry / slots)
      shownActions.append(action)
      entries.append(entry)
    }
    var view = batch.subset(positions)
    view.slotCount = 1
    var shown = OutcomeBatch(count: 0)
    shown.impressions = entries.map { outcomes.impressions[$0] }
    shown.clicks = entries.map { outcomes.clicks[$0] }
    shown.conversions = entries.map { outcomes.conversions[$0] }
    shown.revenue = entries.map { outcomes.revenue[$0] }
    shown.margin = entries.map { outcomes.margin[$0] }
    shown.cost = entries.map { outcomes.cost[$0] }
    shown.frequency = entries.map { outcomes.frequency[$0] }
    return (view, shownActions, shown)
  }

  private func context(
    _ kind: PluginKind, candidates: Int, schema: FeatureSchema, environment: (any Environment)? = nil, variant: String = ""
  ) -> PluginContext {
    var context = PluginContext(
      key: RandomStreams.plugin(kind, seed: spec.seed, replication: replication), replication: replication,
      horizon: spec.horizon, batchSize: spec.batchSize, candidateCount: candidates, featureSchema: schema,
      slotCount: environment?.slotCount ?? 1, adCount: environment?.adCount)
    context.variant = variant
    return context
  }

  /// Adds the model's prediction for each shown ad (chosen and actually shown), and its log loss against the click,
  /// to the windows.
  static func accumulateModelQuality(
    _ steps: [Int], _ clickProbabilities: [Double], actions: [Int32], outcomes: OutcomeBatch, candidates: Int, slots: Int,
    reportEvery: Int, into windows: inout [MetricTotals]
  ) {
    for (entry, action) in actions.enumerated() where action != DecisionBatch.noAd && outcomes.impressions[entry] > 0 {
      let i = entry / slots
      let p = min(max(clickProbabilities[i * candidates + Int(action)], 1e-15), 1 - 1e-15)
      let clicked = outcomes.clicks[entry] > 0
      let w = steps[i] / reportEvery
      windows[w].predicted += 1
      windows[w].predictedClicks += p
      windows[w].logLoss -= clicked ? AdLabMath.log(p) : AdLabMath.log(1 - p)
    }
  }

  /// Adds each decision's outcomes (summed over its slots) to its report window. Steps are increasing within a
  /// batch, so a window's sums are kept in locals and stored once per window change; the order of additions is
  /// the decision order, then the slot order.
  static func accumulate(
    _ steps: [Int], slots: Int, _ outcomes: OutcomeBatch, _ rewards: [Double], _ regrets: [Double], reportEvery: Int,
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
      for e in (i * slots)..<((i + 1) * slots) {
        sums.impressions += outcomes.impressions[e]
        sums.clicks += outcomes.clicks[e]
        sums.conversions += outcomes.conversions[e]
        sums.revenue += outcomes.revenue[e]
        sums.margin += outcomes.margin[e]
        sums.cost += outcomes.cost[e]
        sums.reward += rewards[e]
      }
      if hasRegret { sums.regret += regrets[i] }
    }
    windows[window] = sums
  }

  /// Per decision: the best expected reward any filling of its slots could earn, minus the expected reward of the
  /// chosen filling (myopic: per page view, against the market as the policy saw it). Leaving every slot empty is
  /// always allowed, so the best is never below zero.
  ///
  /// The best filling is exact: it only ever puts in slot s one of that slot's `slots` best candidates with a
  /// positive expected reward (any other candidate could be swapped for an unused one of those, at no loss), so a
  /// search over (slots + 1)^slots fillings, pruned by distinctness, suffices. Slot effects need not be separable
  /// (in `ecommerce`, each slot has its own auction).
  static func regrets(_ expected: [Double], actions: [Int32], candidates: Int, slots: Int) -> [Double] {
    let decisions = actions.count / slots
    let shortlist = min(slots, candidates)
    var options = [Int](repeating: -1, count: slots * shortlist)  // per slot: best candidates, -1 padded
    var chosen = [Int](repeating: -1, count: slots)
    return expected.withUnsafeBufferPointer { e in
      (0..<decisions).map { i in
        var chosenValue = 0.0
        for s in 0..<slots {
          let a = actions[i * slots + s]
          if a != DecisionBatch.noAd { chosenValue += e[(i * slots + s) * candidates + Int(a)] }
        }
        if slots == 1 {
          var best = 0.0
          for k in 0..<candidates where e[i * candidates + k] > best { best = e[i * candidates + k] }
          return best - chosenValue
        }
        for s in 0..<slots {
          let row = (i * slots + s) * candidates
          for j in 0..<shortlist { options[s * shortlist + j] = -1 }
          for k in 0..<candidates where e[row + k] > 0 {
            // Insertion into the slot's descending shortlist; ties keep the lower index first.
            var j = shortlist - 1
            guard options[s * shortlist + j] < 0 || e[row + k] > e[row + options[s * shortlist + j]] else { continue }
            while j > 0, options[s * shortlist + j - 1] < 0 || e[row + k] > e[row + options[s * shortlist + j - 1]] {
              options[s * shortlist + j] = options[s * shortlist + j - 1]
              j -= 1
            }
            options[s * shortlist + j] = k
          }
        }
        func search(_ s: Int) -> Double {
          guard s < slots else { return 0 }
          var best = search(s + 1)  // slot s empty
          let row = (i * slots + s) * candidates
          for j in 0..<shortlist {
            let k = options[s * shortlist + j]
            guard k >= 0 else { break }
            if chosen[0..<s].contains(k) { continue }
            chosen[s] = k
            best = max(best, e[row + k] + search(s + 1))
            chosen[s] = -1
          }
          return best
        }
        return search(0) - chosenValue
      }
    }
  }
}
