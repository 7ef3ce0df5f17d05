import AdLabCore

/// Reward = value per click minus a cost per impression: a simple margin objective whose numbers come from the
/// spec. An empty slot has no impression and no click, so it earns 0.
public final class ValuedClickReward: RewardFunction {
  public struct Params: PluginParameters {
    public var valuePerClick = 1.0
    public var costPerImpression = 0.0

    public init() {}

    public static var fields: [ParameterField<Params>] {
      [
        .init("value_per_click", \.valuePerClick, doc: "what one click is worth", .range(0...1e12)),
        .init("cost_per_impression", \.costPerImpression, doc: "what one impression costs", .range(0...1e12)),
      ]
    }
  }

  private let params: Params

  public init(_ params: Params) { self.params = params }

  public func rewards(for outcomes: OutcomeBatch, into rewards: UnsafeMutableBufferPointer<Double>) {
    for i in 0..<outcomes.count {
      rewards[i] = params.valuePerClick * outcomes.clicks[i] - params.costPerImpression * outcomes.impressions[i]
    }
  }
}
