import AdLabCore

/// Reward = profit: the margin of the purchases minus what the ad cost (`margin − cost`), the advertiser's view.
public final class ProfitReward: RewardFunction {
  public init() {}
  public func rewards(for outcomes: OutcomeBatch, into rewards: UnsafeMutableBufferPointer<Double>) {
    for i in 0..<outcomes.count { rewards[i] = outcomes.margin[i] - outcomes.cost[i] }
  }
}
