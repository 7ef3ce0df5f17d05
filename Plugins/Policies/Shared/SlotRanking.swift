import AdLabCore
import AdLabTensor

/// Fills the slots of one decision with distinct candidates, best first, without allocating.
///
/// A decision's slots are `actions[base ..< base + slots]` (the runner's `decision * slotCount + slot` layout).
/// Slots are filled in order, so "already used" is a scan of the slots filled so far: O(S) per candidate,
/// which beats a per-decision flag array for the few slots of a page. With one slot every helper makes the
/// same stream draws, in the same order, as the single-ad code it replaced, so one-slot runs are bit-identical.
///
/// Propensities written by policies are **position-wise marginals**: the probability, at decision time, that the
/// policy puts this ad in this slot (what position-based IPS estimators weight by). For slot 0 this is the
/// classic propensity of the chosen ad.
enum SlotRanking {
  /// Whether `candidate` already fills one of the first `filled` slots of the decision at `base`.
  @inline(__always)
  static func isUsed(_ candidate: Int, _ actions: UnsafeMutableBufferPointer<Int32>, base: Int, filled: Int) -> Bool {
    var s = 0
    while s < filled {
      if Int(actions[base &+ s]) == candidate { return true }
      s &+= 1
    }
    return false
  }

  /// The highest score among candidates not yet used, ties broken uniformly at random by reservoir sampling,
  /// and how many remaining candidates tied. Returns index -1 when every candidate is used.
  ///
  /// With `filled == 0` this is exactly `argmaxBreakingTies` (same draws).
  @inline(__always)
  static func bestRemaining(
    _ scores: UnsafeBufferPointer<Double>, _ actions: UnsafeMutableBufferPointer<Int32>, base: Int, filled: Int,
    stream: inout RandomStream
  ) -> (index: Int, ties: Int) {
    var best = -1, ties = 0
    var top = -Double.infinity
    for c in 0..<scores.count where filled == 0 || !isUsed(c, actions, base: base, filled: filled) {
      let score = scores[c]
      if best < 0 || score > top {
        top = score
        best = c
        ties = 1
      } else if score == top {
        ties += 1
        if stream.int(below: ties) == 0 { best = c }
      }
    }
    return (best, ties)
  }

  /// The highest score among candidates not yet used, ties broken by one `int(below: ties)` draw that picks the
  /// j-th tied candidate in index order (always one draw, also without ties: the draw pattern of ε-greedy).
  /// Also returns the number of ties. Index -1 when every candidate is used (then nothing is drawn).
  @inline(__always)
  static func bestRemainingByCount(
    _ scores: UnsafeBufferPointer<Double>, _ actions: UnsafeMutableBufferPointer<Int32>, base: Int, filled: Int,
    stream: inout RandomStream
  ) -> (index: Int, ties: Int) {
    var first = -1, ties = 0
    var top = -Double.infinity
    for c in 0..<scores.count where filled == 0 || !isUsed(c, actions, base: base, filled: filled) {
      let score = scores[c]
      if first < 0 || score > top {
        top = score
        first = c
        ties = 1
      } else if score == top {
        ties += 1
      }
    }
    guard first >= 0 else { return (-1, 0) }
    var j = stream.int(below: ties)
    if j == 0 { return (first, ties) }
    for c in (first + 1)..<scores.count
    where scores[c] == top && (filled == 0 || !isUsed(c, actions, base: base, filled: filled)) {
      j -= 1
      if j == 0 { return (c, ties) }
    }
    preconditionFailure("SlotRanking: tie count out of step")
  }

  /// The `j`-th unused candidate (0-based, in index order) of a decision with `count` candidates.
  @inline(__always)
  static func remaining(_ j: Int, count: Int, _ actions: UnsafeMutableBufferPointer<Int32>, base: Int, filled: Int)
    -> Int
  {
    if filled == 0 { return j }
    var left = j
    for c in 0..<count where !isUsed(c, actions, base: base, filled: filled) {
      if left == 0 { return c }
      left -= 1
    }
    preconditionFailure("SlotRanking: asked for unused candidate \(j) of \(count - filled)")
  }

  /// How many scores equal `value`: the size of a tie group, whose members a random tie-break puts in each of
  /// the group's ranks with probability 1 / size.
  @inline(__always)
  static func tieCount(_ scores: UnsafeBufferPointer<Double>, _ value: Double) -> Int {
    var n = 0
    for score in scores where score == value { n += 1 }
    return n
  }

  /// Fills the decision's slots with the top candidates by score (slot 0 best), ties broken at random, and empty
  /// slots (`noAd`) once candidates run out. Propensities, when given, are 1 / (size of the ad's tie group):
  /// the exact position-wise marginal of a deterministic ranking with uniformly random tie-breaks.
  ///
  /// - Complexity: O(S² · K) comparisons for S slots and K candidates; no allocation.
  @inline(__always)
  static func fillTop(
    _ scores: UnsafeBufferPointer<Double>, slots: Int, _ actions: UnsafeMutableBufferPointer<Int32>, base: Int,
    propensities: UnsafeMutableBufferPointer<Double>?, stream: inout RandomStream
  ) {
    for s in 0..<slots {
      let (best, ties) = bestRemaining(scores, actions, base: base, filled: s, stream: &stream)
      guard best >= 0 else {
        actions[base + s] = DecisionBatch.noAd
        propensities?[base + s] = 1
        continue
      }
      actions[base + s] = Int32(best)
      if let propensities {
        propensities[base + s] = 1 / Double(s == 0 ? ties : tieCount(scores, scores[best]))
      }
    }
  }

  /// Fills slots `from..<slots` of a decision with `noAd` (when a decision has fewer candidates than slots).
  @inline(__always)
  static func clear(
    from: Int, slots: Int, _ actions: UnsafeMutableBufferPointer<Int32>, base: Int,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    for s in from..<max(from, slots) {
      actions[base + s] = DecisionBatch.noAd
      propensities?[base + s] = 1
    }
  }
}

extension SlotRanking {
  /// Top-`slots` candidates by score, ties to the lower index (no draws): for sampled scores, where ties have
  /// probability zero. With one slot it is the first strict maximum. Empty slots once candidates run out.
  static func fillTopByIndex(_ scores: [Double], slots: Int, _ actions: UnsafeMutableBufferPointer<Int32>, base: Int) {
    for s in 0..<slots {
      var best = -1, top = -Double.infinity
      for c in scores.indices where (best < 0 || scores[c] > top) && !isUsed(c, actions, base: base, filled: s) {
        best = c
        top = scores[c]
      }
      actions[base + s] = best < 0 ? DecisionBatch.noAd : Int32(best)
    }
  }
}
