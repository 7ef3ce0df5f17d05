import AdLabCore
import AdLabTensor

/// Shows uniformly random ads: the no-learning baseline every policy should beat.
///
/// With S slots it fills them with S distinct candidates drawn uniformly without replacement (slot by slot, each
/// from the candidates still unused), so every ad lands in every slot with probability 1/K: that exact
/// position-wise propensity is what it reports.
public final class RandomPolicy: Policy {
  private var stream: RandomStream

  public init(context: PluginContext) {
    stream = RandomStream(key: context.key.child("random"))
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let k = batch.candidateCount, slots = batch.slotCount
    let filled = min(k, slots)
    let p = 1 / Double(k)
    for i in 0..<batch.count {
      let base = i * slots
      for s in 0..<filled {
        let c = SlotRanking.remaining(stream.int(below: k - s), count: k, actions, base: base, filled: s)
        actions[base + s] = Int32(c)
        propensities?[base + s] = p
      }
      SlotRanking.clear(from: filled, slots: slots, actions, base: base, propensities: propensities)
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {}
}
