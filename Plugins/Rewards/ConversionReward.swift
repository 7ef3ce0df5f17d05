import AdLabCore

/// Reward = conversions: 1 for a shown ad that led to a purchase; the CVR-times-CTR objective.
public final class ConversionReward: RewardFunction {
  public init() {}
  public func rewards(for outcomes: OutcomeBatch, into rewards: UnsafeMutableBufferPointer<Double>) {
    for i in 0..<outcomes.count { rewards[i] = outcomes.conversions[i] }
  }
}
