/// A policy broke its contract: it wrote an action outside the batch's candidates, or the same ad into two slots of
/// one page view. Built-in policies never do; a policy from another package can, and the run must stop with a
/// message that names it rather than trap or silently score an impossible page.
public struct PolicyContractViolation: Error, CustomStringConvertible {
  public var variant: String
  public var plugin: String
  /// The decision (page view) within its batch and the slot where the fault was found.
  public var decision: Int
  public var slot: Int
  public var action: Int32
  public var candidates: Int
  /// True when the action is valid on its own but repeats an ad already placed in the same page view.
  public var repeated: Bool

  public var description: String {
    let fault =
      repeated
      ? "placed ad \(action) twice in one page view (slot \(slot))"
      : "chose action \(action) in slot \(slot), outside 0..<\(candidates) (or \(DecisionBatch.noAd) for an empty slot)"
    // The runner's RunError names the variant and replication around this message.
    return "policy '\(plugin)' \(fault) at decision \(decision) of a batch; "
      + "a policy must write each slot's candidate index, distinct within a page view (see docs/plugins.md)"
  }

  /// The first violation in a batch's actions (`slots` per decision), or nil when every action is valid.
  /// Slots are few, so the duplicate check compares within a page view instead of building a set.
  static func first(
    in actions: UnsafeBufferPointer<Int32>, candidates: Int, slots: Int, variant: String, plugin: String
  ) -> PolicyContractViolation? {
    guard slots > 0 else { return nil }
    for decision in 0..<(actions.count / slots) {
      let start = decision * slots
      for slot in 0..<slots {
        let action = actions[start + slot]
        if action == DecisionBatch.noAd { continue }
        let outside = action < 0 || Int(action) >= candidates
        let repeated = !outside && (0..<slot).contains { actions[start + $0] == action }
        if outside || repeated {
          return PolicyContractViolation(
            variant: variant, plugin: plugin, decision: decision, slot: slot, action: action, candidates: candidates,
            repeated: repeated)
        }
      }
    }
    return nil
  }
}
