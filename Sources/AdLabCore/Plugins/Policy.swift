/// A learner that chooses an ad for each decision and reports how likely that choice was.
///
/// Feedback is delayed by a batch, as in ad serving with batched logs: `choose` sees a whole batch, then
/// `update` receives that batch's rewards.
public protocol Policy: AnyObject {
  /// Writes the chosen candidate index for every decision of `batch` and, when `propensities` is given,
  /// the propensity of each choice (its probability under the policy at decision time). The runner asks
  /// for propensities only when something uses them (a decision log, off-policy evaluation), because for
  /// some policies (Thompson sampling) they cost more than the choice itself.
  func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?)
  /// Learns from the rewards of the decisions it made for `batch`.
  func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
}
