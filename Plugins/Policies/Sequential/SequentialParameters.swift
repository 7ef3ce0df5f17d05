import AdLabCore

/// The parameters Q-learning and DQN share (`SequentialSettings`, listed at the top level of their params): the user state, the page actions, discounting, exploration and the
/// within-page ad ranking. Declared once so both list them identically in `adlab plugins`.
///
/// The action set is `{0, 1, …, M}`: show `m` ads, filling the top `m` slots with the `m` best-ranked candidates
/// (`AdRanker`), where `M = min(max_ads_per_page, slots, candidates)`; 0 shows nothing.
public struct SequentialSettings: Sendable {
  public var stateFeatures = StateFeature.defaults
  public var maxAdsPerPage = 0
  public var gamma = 0.9
  public var epsilon = 0.2
  public var epsilonFinal = 0.02
  public var epsilonDecisions = 20_000.0
  public var objective = ObjectiveKind.click
  public var valueFeature = "bid"
  public init() {}
}

protocol SequentialParameters: PluginParameters {
  var sequential: SequentialSettings { get set }
}

extension SequentialParameters {
  static var sequentialFields: [ParameterField<Self>] {
    [
      .init(
        "state_features", \.sequential.stateFeatures,
        doc: "user/context features forming the state: names or { feature, edges, cardinality, scale }"),
      .init(
        "max_ads_per_page", \.sequential.maxAdsPerPage,
        doc: "most ads on one page (0: every slot); actions are 'show m ads', m = 0…this", .range(0...64)),
      .init("gamma", \.sequential.gamma, doc: "discount γ per visit of the same user", .range(0...0.999)),
      .init("epsilon", \.sequential.epsilon, doc: "probability of a random action at the start", .range(0...1)),
      .init(
        "epsilon_final", \.sequential.epsilonFinal,
        doc: "probability of a random action after epsilon_decisions decisions", .range(0...1)),
      .init(
        "epsilon_decisions", \.sequential.epsilonDecisions,
        doc: "decisions over which ε falls linearly from epsilon to epsilon_final", .atLeast(0)),
    ]
      + ObjectiveKind.fields(
        objective: \.sequential.objective, valueFeature: \.sequential.valueFeature,
        ranking: "ads when the variant has a model")
  }

  var schedule: EpsilonSchedule {
    EpsilonSchedule(start: sequential.epsilon, end: sequential.epsilonFinal, decisions: sequential.epsilonDecisions)
  }

  /// The largest number of ads an action can show in this environment.
  func maxAds(_ context: PluginContext) -> Int {
    min(
      sequential.maxAdsPerPage == 0 ? context.slotCount : sequential.maxAdsPerPage, context.slotCount,
      context.candidateCount)
  }
}

extension Policy {
  /// The sum of a decision's slot rewards: what a page action earned.
  @inline(__always)
  static func pageReward(_ rewards: UnsafeBufferPointer<Double>, decision i: Int, slots: Int) -> Double {
    var total = 0.0
    for s in 0..<slots { total += rewards[i * slots + s] }
    return total
  }
}
