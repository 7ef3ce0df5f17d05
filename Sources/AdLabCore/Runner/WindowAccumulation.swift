import AdLabTensor

/// Adds a batch's outcomes, rewards, regrets and prediction quality to the report windows, in a fixed order.
enum WindowAccumulation {
  /// Adds the model's prediction for each shown ad (chosen and actually shown), and its log loss against the click,
  /// to the windows.
  static func addModelQuality(
    _ steps: [Int], _ clickProbabilities: [Double], actions: [Int32], outcomes: OutcomeBatch, candidates: Int,
    slots: Int,
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
  static func addOutcomes(
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

  /// Adds the impressions and clicks of new items, and the regret of the decisions that offered one, to the windows.
  static func addNewItems(
    _ steps: [Int], _ newItems: [Bool], actions: [Int32], outcomes: OutcomeBatch, regrets: [Double], candidates: Int,
    slots: Int, reportEvery: Int, into windows: inout [MetricTotals]
  ) {
    for i in 0..<steps.count {
      let w = steps[i] / reportEvery
      if newItems[(i * candidates)..<((i + 1) * candidates)].contains(true) {
        windows[w].newItemDecisions += 1
        if !regrets.isEmpty { windows[w].newItemRegret += regrets[i] }
      }
      for e in (i * slots)..<((i + 1) * slots)
      where actions[e] != DecisionBatch.noAd && newItems[i * candidates + Int(actions[e])] {
        windows[w].newItemImpressions += outcomes.impressions[e]
        windows[w].newItemClicks += outcomes.clicks[e]
      }
    }
  }
}
