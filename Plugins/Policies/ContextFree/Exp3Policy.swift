import AdLabCore
import AdLabTensor
import Foundation

/// EXP3 (Auer, Cesa-Bianchi, Freund & Schapire 2002), the adversarial bandit: exponential weights mixed with
/// uniform exploration.
///
/// ```
/// p(a) = (1 − γ) · w(a) / Σ w + γ / K
/// after the batch, for each decision:  log w(a) += γ · (r / p(a)) / K
/// ```
/// Rewards are clipped to [0, 1]. Weights are kept as logarithms and shifted by their maximum so they never overflow.
/// Weights are per ad id when the batch has candidate ids (p then normalises over each decision's candidates).
/// With S slots the slots are drawn in turn without replacement, each in proportion to p among the unused
/// candidates; the propensity is exact for slot 0 and NaN for later slots. Learning uses slot 0 only (see `update`).
public final class Exp3Policy: Policy {
  public struct Params: PluginParameters {
    public var gamma = 0.1
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [.init("gamma", \.gamma, doc: "share of uniform exploration γ, also the learning rate", .openClosed(0, 1))]
    }
  }

  private let gamma: Double
  private var logWeights: [Double]
  private var probabilities: [Double]
  /// The probability with which each decision of the last batch drew its slot-0 ad, for the update.
  private var chosenProbabilities: [Double] = []
  private var stream: RandomStream

  public init(_ params: Params, context: PluginContext) {
    gamma = params.gamma
    logWeights = Array(repeating: 0, count: context.perAdStateCount)
    probabilities = Array(repeating: 1 / Double(context.candidateCount), count: context.candidateCount)
    stream = RandomStream(key: context.key.child("exp3"))
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let k = batch.candidateCount, n = batch.count, slots = batch.slotCount
    chosenProbabilities.removeAll(keepingCapacity: true)
    chosenProbabilities.append(contentsOf: repeatElement(0, count: n))
    if batch.candidateIDs.isEmpty && slots == 1 {
      let top = logWeights[0..<k].max() ?? 0
      let weights = logWeights[0..<k].map { AdLabMath.exp($0 - top) }
      let total = weights.reduce(0, +)
      for a in 0..<k { probabilities[a] = (1 - gamma) * weights[a] / total + gamma / Double(k) }
      let table = AliasTable(weights: probabilities)
      for i in 0..<n {
        let arm = table.sample(using: &stream)
        actions[i] = Int32(arm)
        chosenProbabilities[i] = probabilities[arm]
        propensities?[i] = probabilities[arm]
      }
      return
    }
    // Per decision: the candidates' probabilities, then slots drawn one by one from the unused candidates,
    // renormalised (sampling without replacement in proportion to p).
    for i in 0..<n {
      var top = -Double.infinity
      for c in 0..<k { top = max(top, logWeights[batch.adID(decision: i, candidate: c)]) }
      var total = 0.0
      for c in 0..<k {
        probabilities[c] = AdLabMath.exp(logWeights[batch.adID(decision: i, candidate: c)] - top)
        total += probabilities[c]
      }
      for c in 0..<k { probabilities[c] = (1 - gamma) * probabilities[c] / total + gamma / Double(k) }
      let base = i * slots
      var remainingMass = 1.0
      for s in 0..<min(k, slots) {
        let u = stream.uniform() * remainingMass
        var chosen = -1, cumulative = 0.0
        for c in 0..<k where !SlotRanking.isUsed(c, actions, base: base, filled: s) {
          chosen = c
          cumulative += probabilities[c]
          if u < cumulative { break }
        }
        actions[base + s] = Int32(chosen)
        remainingMass -= probabilities[chosen]
        if s == 0 { chosenProbabilities[i] = probabilities[chosen] }
        propensities?[base + s] = s == 0 ? probabilities[chosen] : .nan
      }
      SlotRanking.clear(from: min(k, slots), slots: slots, actions, base: base, propensities: propensities)
    }
  }

  /// Importance-weighted exponential update from slot 0 only: its draw probability is known exactly, while the
  /// chance that sampling without replacement puts an ad in a later slot has no closed form, and a wrong weight
  /// would bias the estimate.
  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    let k = Double(batch.candidateCount), slots = batch.slotCount
    for i in 0..<(actions.count / slots) where actions[i * slots] != DecisionBatch.noAd {
      let arm = batch.adID(decision: i, candidate: Int(actions[i * slots]))
      let reward = min(max(rewards[i * slots], 0), 1)
      // An update without a preceding choose (a warm start from logged choices) uses the last probabilities.
      let p = i < chosenProbabilities.count ? chosenProbabilities[i] : probabilities[Int(actions[i * slots])]
      logWeights[arm] += gamma * (reward / p) / k
    }
    chosenProbabilities.removeAll(keepingCapacity: true)
  }
}
