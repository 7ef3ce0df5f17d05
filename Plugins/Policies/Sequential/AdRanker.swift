import AdLabCore
import AdLabTensor

/// The within-page ranking of the sequential policies: which ads fill the slots once the policy has decided how
/// many to show. Candidates are ranked by the variant's interest model when it has one (its objective: pCTR,
/// pCTR·pCVR, or either times a value feature), otherwise by each ad's empirical mean reward per impression,
/// kept per ad id, with ads never shown first (optimism: each gets tried before the ranking settles).
/// Ties are broken uniformly at random.
struct AdRanker {
  private let objective: ModelObjective
  private let plugin: String
  private var stats: ArmStatistics
  private var values: [Double] = []
  private var row: [Double] = []

  init(objective kind: ObjectiveKind, valueFeature: String, context: PluginContext, plugin: String) throws {
    objective = try ModelObjective(
      kind: kind, valueFeature: valueFeature, schema: context.featureSchema, plugin: plugin)
    self.plugin = plugin
    stats = ArmStatistics(arms: context.perAdStateCount)
  }

  /// Reads the batch's predictions, once per batch.
  mutating func prepare(_ batch: DecisionBatch) {
    values = batch.predictions == nil ? [] : objective.values(batch, plugin: plugin)
    if row.count != batch.candidateCount { row = [Double](repeating: 0, count: batch.candidateCount) }
  }

  /// The score of every candidate of decision `i` (after `prepare`), in `row`.
  private mutating func score(_ batch: DecisionBatch, decision i: Int) {
    let k = batch.candidateCount
    if !values.isEmpty {
      for c in 0..<k { row[c] = values[i * k + c] }
      return
    }
    for c in 0..<k {
      let ad = batch.adID(decision: i, candidate: c)
      row[c] = stats.pulls[ad] == 0 ? .infinity : stats.mean(ad)
    }
  }

  /// The best candidate's score for decision `i` (what a myopic policy expects from slot 0).
  mutating func topScore(_ batch: DecisionBatch, decision i: Int) -> Double {
    score(batch, decision: i)
    return row.max() ?? 0
  }

  /// Fills the first `count` slots of decision `i` with its top candidates and leaves the others empty. With
  /// `propensities`, writes each filled slot's probability under the ranking alone (1 / ties) and 1 for empty slots.
  mutating func fill(
    _ batch: DecisionBatch, decision i: Int, count: Int, _ actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>? = nil, stream: inout RandomStream
  ) {
    let slots = batch.slotCount, base = i * slots
    let shown = min(count, slots, batch.candidateCount)
    if shown > 0 {
      score(batch, decision: i)
      row.withUnsafeBufferPointer { row in
        SlotRanking.fillTop(row, slots: shown, actions, base: base, propensities: propensities, stream: &stream)
      }
    }
    SlotRanking.clear(from: shown, slots: slots, actions, base: base, propensities: propensities)
  }

  /// Turns the ranking propensities `fill` wrote for decision `i` into position-wise propensities under an
  /// ε-greedy choice of the page action m (how many slots to fill) among `values`: the ad in slot s was shown
  /// with probability P(m > s) · P(ranking puts it there), and an empty slot s has probability P(m ≤ s).
  static func scalePropensities(
    _ propensities: UnsafeMutableBufferPointer<Double>, _ actions: UnsafeMutableBufferPointer<Int32>, base: Int,
    slots: Int,
    values: UnsafeBufferPointer<Double>, best: Double, ties: Int, epsilon: Double
  ) {
    let width = values.count
    var pageProbability = [Double](repeating: 0, count: width)
    for m in 0..<width {
      pageProbability[m] = epsilon / Double(width) + (values[m] == best ? (1 - epsilon) / Double(ties) : 0)
    }
    var atMost = 0.0  // P(m ≤ s)
    for s in 0..<slots {
      atMost += s < width ? pageProbability[s] : 0
      if actions[base + s] == DecisionBatch.noAd {
        propensities[base + s] = min(atMost, 1)
      } else {
        propensities[base + s] *= max(1 - atMost, 0)
      }
    }
  }

  /// Learns every shown ad's reward (used only when there is no model).
  mutating func learn(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    stats.record(batch, actions: actions, rewards: rewards, from: .all)
  }
}

/// ε decaying linearly from `start` to `end` over `decisions` decisions, then held: explore broadly while the
/// values are unknown, keep a little exploration so late changes in the market are still seen.
struct EpsilonSchedule: Sendable {
  var start: Double
  var end: Double
  var decisions: Double

  func value(after t: Double) -> Double {
    guard decisions > 0, t < decisions else { return end }
    return start + (end - start) * t / decisions
  }
}
