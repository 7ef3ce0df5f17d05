import AdLabCore
import AdLabTensor

extension SlotRanking {
  /// Fills one decision's slots ε-greedily, slot by slot: with probability `epsilon` a uniformly random unused
  /// candidate, else the best unused one by `scores` (ties broken by `bestRemainingByCount`); then `noAd` once the
  /// candidates run out. The one filler of `epsilon-greedy` and `greedy-model`, so both draw alike: one uniform per
  /// slot, then one `int(below:)` either way.
  ///
  /// Propensities, when asked: exact for slot 0, ε/K + (1 − ε)/ties for a top-scored ad (ε/K otherwise); NaN for
  /// later slots, whose marginal depends on what slot 0 drew.
  @inline(__always)
  static func fillEpsilonGreedy(
    _ scores: UnsafeBufferPointer<Double>, epsilon: Double, slots: Int, _ actions: UnsafeMutableBufferPointer<Int32>,
    base: Int, propensities: UnsafeMutableBufferPointer<Double>?, stream: inout RandomStream
  ) {
    let k = scores.count, filled = min(k, slots)
    for s in 0..<filled {
      let c =
        stream.uniform() < epsilon
        ? remaining(stream.int(below: k - s), count: k, actions, base: base, filled: s)
        : bestRemainingByCount(scores, actions, base: base, filled: s, stream: &stream).index
      actions[base + s] = Int32(c)
      guard let propensities else { continue }
      if s == 0 {
        let top = scores.max() ?? 0
        propensities[base] =
          (scores[c] == top ? (1 - epsilon) / Double(tieCount(scores, top)) : 0) + epsilon / Double(k)
      } else {
        propensities[base + s] = .nan
      }
    }
    clear(from: filled, slots: slots, actions, base: base, propensities: propensities)
  }
}
