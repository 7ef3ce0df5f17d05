import AdLabCore

/// Reward = clicks: 1 for a clicked ad, 0 otherwise; the CTR objective.
public final class ClickReward: RewardFunction {
  public init() {}
  public func rewards(for outcomes: OutcomeBatch, into rewards: UnsafeMutableBufferPointer<Double>) {
    for i in 0..<outcomes.count { rewards[i] = outcomes.clicks[i] }
  }
}
