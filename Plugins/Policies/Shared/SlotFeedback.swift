import AdLabCore

/// Which filled slots a learner takes rewards from (the `learn_from` parameter).
///
/// Lower slots are examined less, so the same ad earns less there. A learner that keeps one number per ad and
/// learns from every slot (`all`) mixes the ad's appeal with where it was shown: ads that mostly sit low look
/// worse than they are, which slows their promotion (the top ads' estimates are right, so the ranking of
/// clearly better ads is unaffected). `first-slot` learns only from slot 0, which is unbiased for slot-0 reward
/// but discards the other slots' data. `all` is the default: with one slot the two are the same, and with
/// several it learns S times faster, which usually matters more than the position bias.
public enum SlotFeedback: String, EnumParameter {
  case all
  case firstSlot = "first-slot"

  /// The `learn_from` parameter every slot-aware learner declares, with one doc: `updating` names what the rewards
  /// update ("means", "posteriors", "models").
  static func field<Params>(
    _ keyPath: any WritableKeyPath<Params, SlotFeedback> & Sendable, updating: String
  ) -> ParameterField<Params> {
    .init(
      "learn_from", keyPath, doc: "slots whose rewards update the \(updating): all, or first-slot (no position bias)")
  }

  /// Calls `body(decision, candidate, ad, slot, reward)` for every filled slot this setting learns from, in
  /// decision order, then slot order (with one slot: entry order, as single-ad learners did).
  @inline(__always)
  func forEachShown(
    _ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>,
    _ body: (_ decision: Int, _ candidate: Int, _ ad: Int, _ slot: Int, _ reward: Double) -> Void
  ) {
    let slots = batch.slotCount
    let lastSlot = self == .all ? slots : 1
    let hasIDs = !batch.candidateIDs.isEmpty
    let k = batch.candidateCount
    for i in 0..<(actions.count / slots) {
      for s in 0..<lastSlot {
        let entry = i * slots + s
        let action = actions[entry]
        if action == DecisionBatch.noAd { continue }
        let c = Int(action)
        body(i, c, hasIDs ? Int(batch.candidateIDs[i * k + c]) : c, s, rewards[entry])
      }
    }
  }
}

extension DecisionBatch {
  /// The ad of each candidate of decision `i` written into `ads` (its index when the batch has no ids).
  @inline(__always)
  func writeAdIDs(decision i: Int, into ads: UnsafeMutableBufferPointer<Int>) {
    let k = candidateCount
    if candidateIDs.isEmpty {
      for c in 0..<k { ads[c] = c }
    } else {
      for c in 0..<k { ads[c] = Int(candidateIDs[i * k + c]) }
    }
  }
}

extension PluginContext {
  /// Per-ad state size: the environment's ad count, and at least the candidate count (batches without ids use
  /// candidate indices as ads).
  var perAdStateCount: Int { max(adCount, candidateCount) }
}
