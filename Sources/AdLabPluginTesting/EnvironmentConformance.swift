public import AdLabCore

/// The contract every environment keeps (see `Environment`), checked over a run of fixed actions:
/// - it is what its registry entry declares (features, slots, outcome columns, oracle, market counters, logs);
/// - every served batch matches the declared feature schema (`BatchShape`);
/// - paired runs share the noise they promise: two instances from the same context serve the same first batch, and
///   when one leaves every third decision's slots empty, every other decision of an untouched user that both show
///   the same ad in the same slot gets the same clicks and conversions;
/// - the oracle is the mean of `resolve`: realised minus expected outcome of each shown ad averages to zero for every
///   noise-driven column (frequency is left out: its expectation assumes the slots above were filled);
/// - budgets are never overspent: the cost so far never exceeds the budget released so far (`MarketCounters`).
/// An environment that replays logs is checked on its logs instead: schema, valid actions and slots, propensities in
/// (0, 1], finite rewards, and their mean against the logs' expected rewards when the logs know them.
public enum EnvironmentConformance {
  /// Runs every check on environment `name` with `params` (a YAML mapping, nil for its defaults) over `decisions`
  /// decisions in batches of `batch`; an empty result means it conforms.
  public static func check(
    _ name: String, params: String? = nil, registry: PluginRegistry, decisions: Int = 8_000, batch: Int = 500
  ) -> [ConformanceFailure] {
    switch ConformanceWorld.forEnvironment(name, params: params, registry: registry, horizon: decisions, batch: batch) {
    case .failure(let failure): return [failure]
    case .success(let world):
      let log = ConformanceLog(plugin: name)
      do {
        try run(world: world, log: log)
      } catch {
        log.fail("make", "\(error)")
      }
      return log.failures
    }
  }

  static func run(world: ConformanceWorld, log: ConformanceLog) throws {
    let spec = world.spec, context = world.context(.environment, environment: nil)
    let a = try spec.environment.make(context), b = try spec.environment.make(context)
    checkDeclared(spec.environment.capabilities, a, log: log)
    if let source = a as? any LoggedBanditSource {
      for segment in try source.loadLogs() { checkLogs(segment.materialize(), log: log) }
    } else {
      serve(a, twin: b, horizon: spec.horizon, batchSize: spec.batchSize, log: log)
    }
  }

  /// The instance against its registry entry: the runner and the spec checks trust the entry without building it.
  static func checkDeclared(_ declared: PluginCapabilities, _ environment: any Environment, log: ConformanceLog) {
    if let schema = declared.featureSchema, schema != environment.featureSchema {
      log.fail(
        "declared capabilities",
        "the registry entry declares features \(schema), the instance serves \(environment.featureSchema)")
    }
    if let slots = declared.slots, slots != environment.slotCount {
      log.fail(
        "declared capabilities", "the registry entry declares \(slots) slots, the instance has \(environment.slotCount)"
      )
    }
    if declared.outcomeColumns != environment.outcomeColumns {
      log.fail(
        "declared capabilities",
        "declared outcome columns \(declared.outcomeColumns.rawValue), the instance fills \(environment.outcomeColumns.rawValue)"
      )
    }
    if declared.contains(.oracle) != environment.hasOracle {
      log.fail(
        "declared capabilities", "oracle declared \(declared.contains(.oracle)), hasOracle is \(environment.hasOracle)")
    }
    if declared.contains(.replaysLogs) != (environment is any LoggedBanditSource) {
      log.fail(
        "declared capabilities",
        "replays_logs declared \(declared.contains(.replaysLogs)), but the instance \(environment is any LoggedBanditSource ? "is" : "is not") a LoggedBanditSource"
      )
    }
    if !declared.contains(.replaysLogs), declared.contains(.marketCounters) != (environment.marketCounters() != nil) {
      log.fail(
        "declared capabilities",
        "market_counters declared \(declared.contains(.marketCounters)), marketCounters() \(environment.marketCounters() == nil ? "is nil" : "is not nil")"
      )
    }
  }

  /// The ad shown in slot `s` of the decision at `step`: fixed, distinct within the decision, every ad in turn.
  static func fixedAction(step: Int, slot: Int, candidates k: Int) -> Int32 { Int32((step % k + slot) % k) }

  /// Whether the paired twin leaves the decision at `step` empty.
  static func twinLeavesEmpty(step: Int) -> Bool { step % 3 == 0 }

  static func serve(_ a: any Environment, twin b: any Environment, horizon: Int, batchSize: Int, log: ConformanceLog) {
    let k = a.candidateCount, slots = a.slotCount
    guard k >= 1, slots >= 1, slots <= k else {
      log.fail("declared capabilities", "\(slots) slots and \(k) candidates: a decision needs 1 ≤ slots ≤ candidates")
      return
    }
    let columns = OutcomeColumns.named.filter { a.outcomeColumns.contains($0.0) && $0.0 != .frequency }
    var oracle = [MeanDifference](repeating: MeanDifference(), count: columns.count)
    var outA = OutcomeBatch(count: 0), outB = OutcomeBatch(count: 0), expected = OutcomeBatch(count: 0)
    var touched = Set<UInt64>(), compared = 0, spent = 0.0, step = 0
    while step < horizon {
      let count = min(batchSize, horizon - step)
      let batchA = a.nextBatch(firstStep: step, count: count), batchB = b.nextBatch(firstStep: step, count: count)
      for problem in BatchShape.problems(
        batchA, schema: a.featureSchema, candidates: k, slots: slots, adCount: a.adCount, firstStep: step, count: count)
      {
        log.fail("features match the schema", "batch at step \(step): \(problem)")
      }
      if step == 0 && !sameServing(batchA, batchB) {
        log.fail("paired runs share the noise", "two instances from the same context served different first batches")
      }
      step += count
      let x = actions(batchA, slots: slots, candidates: k, emptyingThirds: false)
      let y = actions(batchB, slots: slots, candidates: k, emptyingThirds: true)
      for (i, s) in batchB.steps.enumerated() where twinLeavesEmpty(step: s) { touched.insert(batchB.userIDs[i]) }
      if a.hasOracle {
        expected.prepare(count: x.count * k)
        a.expectedOutcomes(batchA, into: &expected)
      }
      outA.prepare(count: x.count)
      outB.prepare(count: y.count)
      x.withUnsafeBufferPointer { a.resolve(batchA, actions: $0, into: &outA) }
      y.withUnsafeBufferPointer { b.resolve(batchB, actions: $0, into: &outB) }

      if a.hasOracle {
        for (e, action) in x.enumerated() where action != DecisionBatch.noAd {
          let o = e * k + Int(action)
          for (c, column) in columns.enumerated() {
            oracle[c].add(realised: value(outA, column.0, e), expected: value(expected, column.0, o))
          }
        }
      }
      compared += comparePaired(batchA, outA, x, batchB, outB, y, slots: slots, touched: touched, log: log)
      if let counters = a.marketCounters() {
        spent += outA.cost.reduce(0, +)
        if spent > counters.budget + 1e-9 * max(1, counters.budget) {
          log.fail(
            "budgets never overspent",
            "by step \(step) ads cost \(spent), but only \(counters.budget) of budget was released")
        }
      }
    }
    if compared == 0 {
      log.fail(
        "paired runs share the noise", "no decision could be compared (no untouched user was shown the same ad twice)")
    }
    for (c, column) in columns.enumerated() {
      if let verdict = oracle[c].verdict { log.fail("oracle is the mean of resolve", "\(column.1): \(verdict)") }
    }
  }

  /// The fixed actions of a batch (the twin's leave every third step empty).
  static func actions(_ batch: DecisionBatch, slots: Int, candidates k: Int, emptyingThirds: Bool) -> [Int32] {
    var actions = [Int32](repeating: DecisionBatch.noAd, count: batch.count * slots)
    for (i, step) in batch.steps.enumerated() where !(emptyingThirds && twinLeavesEmpty(step: step)) {
      for s in 0..<slots { actions[i * slots + s] = fixedAction(step: step, slot: s, candidates: k) }
    }
    return actions
  }

  /// Compares the outcomes of every slot both runs filled with the same ad at the same step for the same user, when
  /// that user's state cannot differ (never left empty by the twin). Returns how many slots were compared.
  static func comparePaired(
    _ batchA: DecisionBatch, _ outA: OutcomeBatch, _ x: [Int32], _ batchB: DecisionBatch, _ outB: OutcomeBatch,
    _ y: [Int32],
    slots: Int, touched: Set<UInt64>, log: ConformanceLog
  ) -> Int {
    var positionInB: [Int: Int] = [:]
    for (j, step) in batchB.steps.enumerated() { positionInB[step] = j }
    var compared = 0
    for (i, step) in batchA.steps.enumerated() {
      guard let j = positionInB[step], batchA.userIDs[i] == batchB.userIDs[j], !touched.contains(batchA.userIDs[i])
      else { continue }
      for s in 0..<slots {
        let ea = i * slots + s, eb = j * slots + s
        // Candidate lists may differ once the markets differ (an ad out of budget is not retrieved): compare ads.
        guard x[ea] != DecisionBatch.noAd, y[eb] != DecisionBatch.noAd,
          batchA.adID(decision: i, candidate: Int(x[ea])) == batchB.adID(decision: j, candidate: Int(y[eb])),
          outA.impressions[ea] == 1, outB.impressions[eb] == 1
        else { continue }
        compared += 1
        if outA.clicks[ea] != outB.clicks[eb] || outA.conversions[ea] != outB.conversions[eb] {
          log.fail(
            "paired runs share the noise",
            "step \(step), slot \(s), ad \(batchA.adID(decision: i, candidate: Int(x[ea]))): clicks \(outA.clicks[ea]) vs \(outB.clicks[eb]), conversions \(outA.conversions[ea]) vs \(outB.conversions[eb]) after the twin left other users' decisions empty"
          )
        }
      }
    }
    return compared
  }

  static func sameServing(_ a: DecisionBatch, _ b: DecisionBatch) -> Bool {
    a.steps == b.steps && a.userIDs == b.userIDs && a.candidateIDs == b.candidateIDs
      && a.features.decisionCategorical == b.features.decisionCategorical
      && a.features.candidateCategorical == b.features.candidateCategorical
      && a.features.decisionDense == b.features.decisionDense && a.features.candidateDense == b.features.candidateDense
      && a.features.sequences == b.features.sequences && a.features.sequenceLengths == b.features.sequenceLengths
  }

  static func value(_ outcomes: OutcomeBatch, _ column: OutcomeColumns, _ index: Int) -> Double {
    switch column {
    case .clicks: return outcomes.clicks[index]
    case .conversions: return outcomes.conversions[index]
    case .revenue: return outcomes.revenue[index]
    case .cost: return outcomes.cost[index]
    case .margin: return outcomes.margin[index]
    default: return outcomes.frequency[index]
    }
  }

  /// A replayed log's promises.
  static func checkLogs(_ logs: LoggedBandit, log: ConformanceLog) {
    let batch = logs.batch, n = batch.count, k = batch.candidateCount
    for problem in BatchShape.problems(
      batch, schema: batch.schema, candidates: k, slots: batch.slotCount,
      adCount: batch.candidateIDs.isEmpty ? k : Int.max, firstStep: batch.steps.first ?? 0,
      count: (batch.steps.last ?? 0) - (batch.steps.first ?? 0) + 1)
    {
      log.fail("features match the schema", "\(logs.name): \(problem)")
    }
    var mean = MeanDifference()
    for i in 0..<n {
      let action = Int(logs.actions[i])
      guard action >= 0 && action < k else {
        log.fail("valid logged actions", "\(logs.name): round \(i) logs action \(action) of \(k)")
        continue
      }
      if logs.slots[i] < 0 || Int(logs.slots[i]) >= batch.slotCount {
        log.fail("valid logged actions", "\(logs.name): round \(i) logs slot \(logs.slots[i]) of \(batch.slotCount)")
      }
      if !(logs.propensities[i] > 0 && logs.propensities[i] <= 1) {
        log.fail("propensities", "\(logs.name): round \(i) has propensity \(logs.propensities[i]), outside (0, 1]")
      }
      if !logs.rewards[i].isFinite {
        log.fail("finite rewards", "\(logs.name): round \(i) has reward \(logs.rewards[i])")
      }
      if let expectedRewards = logs.expectedRewards {
        mean.add(realised: logs.rewards[i], expected: expectedRewards[i * k + action])
      }
    }
    if let verdict = mean.verdict {
      log.fail("oracle is the mean of resolve", "\(logs.name): logged rewards against expected rewards: \(verdict)")
    }
  }
}
