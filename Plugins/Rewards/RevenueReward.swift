import AdLabCore

/// Reward = revenue: the gross merchandise value of the purchases an ad led to.
public final class RevenueReward: RewardFunction {
  public init() {}
  public func rewards(for outcomes: OutcomeBatch, into rewards: UnsafeMutableBufferPointer<Double>) {
    for i in 0..<outcomes.count { rewards[i] = outcomes.revenue[i] }
  }
}
