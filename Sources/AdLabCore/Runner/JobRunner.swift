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
    let model = try variant.model?.make(
      context(.model, candidates: candidates, schema: schema, environment: environment, variant: variant.name))
    if let model, let declared = variant.model,
      let violation = ModelContractViolation.check(
        declared: declared.capabilities, instance: model, variant: variant.name, plugin: declared.name)
    {
      throw violation
    }
    let policy = try variant.policy.make(
      context(.policy, candidates: candidates, schema: schema, environment: environment, variant: variant.name))
    let reward = try (variant.reward ?? spec.reward).make(
      context(.reward, candidates: candidates, schema: schema, environment: environment))
    let split =
      spec.mode == .split
      ? TrafficSplit(
        key: RandomStreams.assignment(seed: seed, replication: replication), weights: spec.variants.map(\.weight))
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
    var log: DecisionLog? =
      spec.logDecisions
      ? DecisionLog(header: DecisionLog.header(schema: schema, candidates: candidates, oracle: environment.hasOracle))
      : nil
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
        regrets = SlotRegret.perDecision(expectedRewards, actions: actions, candidates: candidates, slots: slots)
      }
      outcomes.prepare(count: entries)
      actions.withUnsafeBufferPointer { environment.resolve(batch, actions: $0, into: &outcomes) }
      rewards.withUnsafeMutableBufferPointer { reward.rewards(for: outcomes, into: $0) }
      reward.observe(outcomes)
      log?.append(
        variant: variant.name, replication: replication, batch: batch, actions: actions, propensities: propensities,
        rewards: rewards, outcomes: outcomes, expectedRewards: environment.hasOracle ? expectedRewards : nil)

      WindowAccumulation.addOutcomes(
        batch.steps, slots: slots, outcomes, rewards, regrets, reportEvery: spec.reportEvery, into: &windows)
      if let newItems = batch.newItemCandidates {
        WindowAccumulation.addNewItems(
          batch.steps, newItems, actions: actions, outcomes: outcomes, regrets: regrets, candidates: candidates,
          slots: slots,
          reportEvery: spec.reportEvery, into: &windows)
      }
      collectMarket()
      if let predictions = batch.predictions {
        WindowAccumulation.addModelQuality(
          batch.steps, predictions.click, actions: actions, outcomes: outcomes, candidates: candidates, slots: slots,
          reportEvery: spec.reportEvery, into: &windows)
      }
      if let model {
        if slots == 1 && !actions.contains(DecisionBatch.noAd) && !outcomes.impressions.contains(0) {
          actions.withUnsafeBufferPointer { model.learn(batch, actions: $0, outcomes: outcomes) }
        } else {
          let shown = ShownImpressions.of(batch, actions: actions, outcomes: outcomes)
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

  private func context(
    _ kind: PluginKind, candidates: Int, schema: FeatureSchema, environment: (any Environment)? = nil,
    variant: String = ""
  ) -> PluginContext {
    var context = PluginContext(
      key: RandomStreams.plugin(kind, seed: spec.seed, replication: replication), replication: replication,
      horizon: spec.horizon, batchSize: spec.batchSize, candidateCount: candidates, featureSchema: schema,
      slotCount: environment?.slotCount ?? 1, adCount: environment?.adCount)
    context.variant = variant
    return context
  }
}
