import AdLabCore

/// The parameters Q-learning and DQN share: the user state, the page actions, discounting, exploration and the
/// within-page ad ranking. Declared once so both list them identically in `adlab plugins`.
///
/// The action set is `{0, 1, …, M}`: show `m` ads, filling the top `m` slots with the `m` best-ranked candidates
/// (`AdRanker`), where `M = min(max_ads_per_page, slots, candidates)`; 0 shows nothing.
protocol SequentialParameters: PluginParameters {
  var stateFeatures: [StateFeature] { get set }
  var maxAdsPerPage: Int { get set }
  var gamma: Double { get set }
  var epsilon: Double { get set }
  var epsilonFinal: Double { get set }
  var epsilonDecisions: Double { get set }
  var objective: ObjectiveKind { get set }
  var valueFeature: String { get set }
}

extension SequentialParameters {
  static var sequentialFields: [ParameterField<Self>] {
    [
      .init("state_features", \.stateFeatures, doc: "user/context features forming the state: names or { feature, edges, cardinality, scale }"),
      .init("max_ads_per_page", \.maxAdsPerPage, doc: "most ads on one page (0: every slot); actions are 'show m ads', m = 0…this", .range(0...64)),
      .init("gamma", \.gamma, doc: "discount γ per visit of the same user", .range(0...0.999)),
      .init("epsilon", \.epsilon, doc: "probability of a random action at the start", .range(0...1)),
      .init("epsilon_final", \.epsilonFinal, doc: "probability of a random action after epsilon_decisions decisions", .range(0...1)),
      .init("epsilon_decisions", \.epsilonDecisions, doc: "decisions over which ε falls linearly from epsilon to epsilon_final", .atLeast(0)),
    ] + ObjectiveKind.fields(objective: \.objective, valueFeature: \.valueFeature, ranking: "ads when the variant has a model")
  }

  var schedule: EpsilonSchedule { EpsilonSchedule(start: epsilon, end: epsilonFinal, decisions: epsilonDecisions) }

  /// The largest number of ads an action can show in this environment.
  func maxAds(_ context: PluginContext) -> Int {
    min(maxAdsPerPage == 0 ? context.slotCount : maxAdsPerPage, context.slotCount, context.candidateCount)
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
