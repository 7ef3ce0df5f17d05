/// The impressions an interest model learns from.
enum ShownImpressions {
  /// The shown ads of a slotted batch as one decision per impression (the decision repeated for each filled
  /// slot), which is the one-ad-per-decision view interest models learn from. A chosen ad the environment did not
  /// show (it lost the slot's auction, or its budget ran out) is left out: a model of P(click | shown) must not
  /// learn a non-click from it.
  static func of(_ batch: DecisionBatch, actions: [Int32], outcomes: OutcomeBatch)
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
}
