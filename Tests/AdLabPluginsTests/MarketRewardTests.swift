import AdLabCore
import Testing

@testable import AdLabRewards

/// Reward plugins on hand-built outcomes: values, zero for an empty slot, and the dual update's direction.
struct MarketRewardTests {
  /// Three outcomes: an empty slot, an impression with a click (cost 0.5), a purchase (revenue 40, margin 10,
  /// cost 1, frequency 5).
  static func outcomes() -> OutcomeBatch {
    var o = OutcomeBatch(count: 3)
    o.impressions = [0, 1, 1]
    o.clicks = [0, 1, 1]
    o.conversions = [0, 0, 1]
    o.revenue = [0, 0, 40]
    o.margin = [0, 0, 10]
    o.cost = [0, 0.5, 1]
    o.frequency = [0, 2, 5]
    return o
  }

  static func values(_ reward: any RewardFunction, _ outcomes: OutcomeBatch = outcomes()) -> [Double] {
    var r = [Double](repeating: .nan, count: outcomes.count)
    r.withUnsafeMutableBufferPointer { reward.rewards(for: outcomes, into: $0) }
    return r
  }

  @Test func plainRewardsReadTheirColumns() {
    #expect(Self.values(ConversionReward()) == [0, 0, 1])
    #expect(Self.values(RevenueReward()) == [0, 0, 40])
    #expect(Self.values(ProfitReward()) == [0, -0.5, 9])
  }

  @Test func fatiguePenaltyHitsImpressionsAboveTheCap() {
    var params = FatiguePenalisedReward.Params()
    params.cap = 3
    params.penalty = 0.25
    params.base = .click
    #expect(Self.values(FatiguePenalisedReward(params)) == [0, 1, 0.75])
    params.base = .profit
    #expect(Self.values(FatiguePenalisedReward(params)) == [0, -0.5, 8.75])
    params.base = .revenue
    params.cap = 1
    #expect(Self.values(FatiguePenalisedReward(params)) == [0, -0.25, 39.75])
    params.base = .conversion
    #expect(Self.values(FatiguePenalisedReward(params)) == [0, -0.25, 0.75])
  }

  @Test func roiConstrainedRewardIsTheLagrangian() {
    var params = ROIConstrainedReward.Params()
    params.target = 1
    params.initialLambda = 2
    let reward = ROIConstrainedReward(params)
    // profit − λ·(target·cost − profit): slot 2: −0.5 − 2·(0.5 + 0.5) = −2.5; slot 3: 9 − 2·(1 − 9) = 25.
    #expect(Self.values(reward) == [0, -2.5, 25])
  }

  @Test func lagrangeMultiplierRisesWhenROIFallsShortAndFallsWhenItHolds() {
    var params = ROIConstrainedReward.Params()
    params.target = 0.5
    params.stepSize = 0.1
    let reward = ROIConstrainedReward(params)
    var losing = OutcomeBatch(count: 1)
    losing.impressions = [1]
    losing.cost = [2]
    losing.margin = [1]  // ROI = (1 − 2) / 2 = −0.5, short of 0.5 by 1.
    reward.observe(losing)
    #expect(abs(reward.lambda - 0.1) < 1e-12)
    reward.observe(losing)
    #expect(abs(reward.lambda - 0.2) < 1e-12)
    // A higher λ penalises spend more: the losing outcome's reward decreases.
    #expect(Self.values(reward, losing)[0] < -1)
    var winning = OutcomeBatch(count: 1)
    winning.impressions = [1]
    winning.cost = [1]
    winning.margin = [4]  // ROI = 3, above target by 2.5: λ projected back to 0.
    reward.observe(winning)
    #expect(reward.lambda == 0)
    // No spend: λ unchanged.
    reward.observe(OutcomeBatch(count: 4))
    #expect(reward.lambda == 0)
  }

  @Test func everyRewardIsZeroForAnEmptySlotAndLinearInTheColumns() {
    var roi = ROIConstrainedReward.Params()
    roi.initialLambda = 1.5
    let rewards: [any RewardFunction] = [
      ConversionReward(), RevenueReward(), ProfitReward(), ROIConstrainedReward(roi), FatiguePenalisedReward(.init()),
    ]
    let a = Self.outcomes()
    var half = a
    for column in [\OutcomeBatch.impressions, \.clicks, \.conversions, \.revenue, \.margin, \.cost]
      as [WritableKeyPath<OutcomeBatch, [Double]>]
    {
      half[keyPath: column] = a[keyPath: column].map { $0 / 2 }
    }
    for reward in rewards {
      let full = Self.values(reward, a), halved = Self.values(reward, half)
      #expect(full[0] == 0)
      for i in 0..<3 { #expect(abs(halved[i] - full[i] / 2) < 1e-12, "\(type(of: reward)) is linear") }
    }
  }
}
