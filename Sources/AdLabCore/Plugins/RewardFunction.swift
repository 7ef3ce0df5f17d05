/// Maps outcomes to the scalar reward policies maximise. Must be linear in the outcome columns
/// for regret to be exact, since regret applies it to expected outcomes. One instance per job, used by one
/// thread; a reward with state (a Lagrange multiplier) changes it only in `observe`.
public protocol RewardFunction: AnyObject {
  /// `rewards[i]` for outcome `i`; an all-zero outcome (an empty slot) must earn 0.
  func rewards(for outcomes: OutcomeBatch, into rewards: UnsafeMutableBufferPointer<Double>)
  /// Sees the realised outcomes of each batch after its rewards were computed (default: nothing).
  func observe(_ outcomes: OutcomeBatch)
}

extension RewardFunction {
  public func observe(_ outcomes: OutcomeBatch) {}
}
