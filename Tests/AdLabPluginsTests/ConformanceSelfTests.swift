import AdLabCore
import AdLabPluginTesting
import AdLabTensor
import Testing

/// The kit must fail a plugin that breaks a promise: each flawed plugin below breaks exactly one, and the suite must
/// name that check (and pass the same plugin without its flaw).
struct ConformanceSelfTests {
  @Test(arguments: FlawedEnvironment.Flaw.allCases)
  func environmentSuiteCatches(flaw: FlawedEnvironment.Flaw) {
    let checks = EnvironmentConformance.check(flaw.rawValue, registry: FlawedEnvironment.registry, decisions: 3_000)
      .map(\.check)
    if flaw == .none {
      #expect(checks.isEmpty)
    } else {
      #expect(checks == [flaw.check], "the \(flaw) environment")
    }
  }

  @Test(arguments: FlawedModel.Flaw.allCases)
  func modelSuiteCatches(flaw: FlawedModel.Flaw) {
    let checks = ModelConformance.check(flaw.rawValue, registry: FlawedModel.registry).map(\.check)
    if flaw == .none {
      #expect(checks.isEmpty)
    } else {
      #expect(checks == [flaw.check], "the \(flaw) model")
    }
  }
}

/// Three ads clicked with probability 0.5 each, one user categorical of cardinality 2, a cost of 1 per impression
/// against released budget — and, unless `.none`, one broken promise.
final class FlawedEnvironment: Environment {
  enum Flaw: String, CaseIterable, Sendable {
    case none = "flawless-environment"
    case schema = "out-of-schema-features"
    case noise = "sequential-noise"
    case oracle = "biased-oracle"
    case budget = "overspent-budget"

    var check: String {
      switch self {
      case .none: return ""
      case .schema: return "features match the schema"
      case .noise: return "paired runs share the noise"
      case .oracle: return "oracle is the mean of resolve"
      case .budget: return "budgets never overspent"
      }
    }
  }

  struct Params: PluginParameters {
    static var fields: [ParameterField<Params>] { [] }
  }

  static let schema = FeatureSchema(categorical: [.init("segment", side: .user, cardinality: 2)])
  static let registry: PluginRegistry = {
    var registry = PluginRegistry()
    registry.policies.register("random", summary: "every ad in turn", parameters: Params.self) { _, context in
      RotatingPolicy(k: context.candidateCount)
    }
    registry.rewards.register("click", summary: "clicks", parameters: Params.self) { _, _ in ClickCount() }
    for flaw in Flaw.allCases {
      registry.environments.register(
        flaw.rawValue, summary: "flawed on purpose", parameters: Params.self,
        capabilities: { _ in
          PluginCapabilities([.oracle, .marketCounters], outcomeColumns: [.clicks, .cost], featureSchema: schema)
        }
      ) { _, context in FlawedEnvironment(flaw, key: context.key) }
    }
    return registry
  }()

  let flaw: Flaw, key: StreamKey
  var spent = 0.0, released = 0.0, draws: UInt64 = 0

  init(_ flaw: Flaw, key: StreamKey) {
    self.flaw = flaw
    self.key = key
  }

  var candidateCount: Int { 3 }
  var featureSchema: FeatureSchema { Self.schema }
  var outcomeColumns: OutcomeColumns { [.clicks, .cost] }
  var hasOracle: Bool { true }

  func nextBatch(firstStep: Int, count: Int) -> DecisionBatch {
    var features = FeatureBatch()
    features.decisionCategorical = (firstStep..<(firstStep + count)).map { UInt64($0 % 2) }
    if flaw == .schema { features.decisionCategorical[count - 1] = 2 }
    // Budget for every impression this batch can make, so a flawless market never overspends.
    released += flaw == .budget ? 0 : Double(count)
    let steps = Array(firstStep..<(firstStep + count))
    return DecisionBatch(
      steps: steps, userIDs: steps.map { UInt64($0) }, candidateCount: 3, schema: Self.schema, features: features)
  }

  func resolve(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, into outcomes: inout OutcomeBatch) {
    for i in 0..<batch.count {
      let shown = actions[i] != DecisionBatch.noAd
      outcomes.impressions[i] = shown ? 1 : 0
      outcomes.cost[i] = shown ? 1 : 0
      spent += outcomes.cost[i]
      guard shown else {
        outcomes.clicks[i] = 0
        continue
      }
      // The sequential flaw: a draw per shown ad, so an empty slot shifts every later user's noise.
      let u =
        flaw == .noise
        ? CounterRandom.uniform(key: key, draws, 0)
        : CounterRandom.uniform(key: key, UInt64(batch.steps[i]), UInt64(actions[i]))
      draws += 1
      outcomes.clicks[i] = u < 0.5 ? 1 : 0
    }
  }

  func expectedOutcomes(_ batch: DecisionBatch, into outcomes: inout OutcomeBatch) {
    for e in 0..<(batch.count * 3) {
      outcomes.impressions[e] = 1
      outcomes.clicks[e] = flaw == .oracle ? 0.56 : 0.5
      outcomes.cost[e] = 1
    }
  }

  func marketCounters() -> MarketCounters? {
    var counters = MarketCounters()
    counters.budget = released
    return counters
  }
}

/// Shows every ad in turn; only here so the flawed plugins' specs have a policy.
final class RotatingPolicy: Policy {
  let k: Int
  init(k: Int) { self.k = k }
  func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    for i in 0..<batch.count { actions[i] = Int32(batch.steps[i] % k) }
  }
  func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>) {}
}

/// Reward = clicks; only here so the flawed plugins' specs have a reward.
final class ClickCount: RewardFunction {
  func rewards(for outcomes: OutcomeBatch, into rewards: UnsafeMutableBufferPointer<Double>) {
    for i in 0..<outcomes.count { rewards[i] = outcomes.clicks[i] }
  }
}

/// Smoothed click counts per ad, (clicks + 1) / (shown + 2), saved as a checkpoint — and, unless `.none`, one broken
/// promise.
final class FlawedModel: CheckpointableModel {
  enum Flaw: String, CaseIterable, Sendable {
    case none = "flawless-model"
    case range = "out-of-range"
    case threads = "thread-dependent"
    case checkpoint = "lossy-checkpoint"
    case learning = "never-learns"
    case capabilities = "undeclared-conversions"

    var check: String {
      switch self {
      case .none: return ""
      case .range: return "predictions are probabilities"
      case .threads: return "identical for any thread count"
      case .checkpoint: return "checkpoint round trip"
      case .learning: return "learns a separable toy"
      case .capabilities: return "declared capabilities"
      }
    }
  }

  static let registry: PluginRegistry = {
    var registry = FlawedEnvironment.registry
    for flaw in Flaw.allCases {
      registry.models.register(
        flaw.rawValue, summary: "flawed on purpose", parameters: FlawedEnvironment.Params.self,
        capabilities: { _ in PluginCapabilities(flaw == .capabilities ? .predictsConversions : []) }
      ) { _, context in
        FlawedModel(flaw, ads: context.adCount)
      }
    }
    return registry
  }()

  let flaw: Flaw
  var shown: [Double], clicked: [Double]

  init(_ flaw: Flaw, ads: Int) {
    self.flaw = flaw
    shown = Array(repeating: 0, count: ads)
    clicked = shown
  }

  var predictsConversions: Bool { false }

  func predict(_ batch: DecisionBatch, into predictions: inout Predictions) {
    let k = batch.candidateCount
    for e in 0..<(batch.count * k) {
      let ad = batch.adID(decision: e / k, candidate: e % k)
      var p = flaw == .learning ? 0.5 : (clicked[ad] + 1) / (shown[ad] + 2)
      if flaw == .threads { p *= 1 - 1e-9 * Double(TensorParallelism.current) }
      if flaw == .range && e == 0 { p = 1.5 }
      predictions.click[e] = p
    }
  }

  func learn(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, outcomes: OutcomeBatch) {
    for i in 0..<batch.count where actions[i] != DecisionBatch.noAd {
      let ad = batch.adID(decision: i, candidate: Int(actions[i]))
      shown[ad] += outcomes.impressions[i]
      clicked[ad] += outcomes.clicks[i]
    }
  }

  func checkpoint() -> Checkpoint {
    var checkpoint = Checkpoint()
    checkpoint.set("shown", Tensor<Double>(shown))
    checkpoint.set("clicked", Tensor<Double>(flaw == .checkpoint ? shown : clicked))
    return checkpoint
  }

  func restore(from checkpoint: Checkpoint) throws {
    shown = try checkpoint.tensor("shown", as: Double.self).scalars
    clicked = try checkpoint.tensor("clicked", as: Double.self).scalars
  }
}
