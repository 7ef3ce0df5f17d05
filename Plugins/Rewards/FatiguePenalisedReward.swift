import AdLabCore

/// A base reward minus a cost for every impression beyond a frequency cap: the platform's long-term view that
/// over-exposed users come back less.
///
/// ```
/// r = base(outcome) − penalty · impressions · [frequency > cap]
/// ```
/// `frequency` is the environment's count of the user's exposures in its frequency window, this one included, so
/// the penalty hits the (cap + 1)-th ad and every later one. For a given cap the indicator is fixed per outcome,
/// so the reward is linear in the outcome columns, and an empty slot (impressions 0) earns 0.
public final class FatiguePenalisedReward: RewardFunction {
  public struct Params: PluginParameters {
    public var base = Base.click
    public var cap = 3
    public var penalty = 0.01
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init(
          "base", \.base, doc: "the reward before the penalty: click, conversion, revenue or profit (margin − cost)"),
        .init("cap", \.cap, doc: "exposures in the frequency window a user takes without penalty", .range(0...100_000)),
        .init(
          "penalty", \.penalty,
          doc: "subtracted per impression whose frequency exceeds the cap (in the base reward's unit)", .atLeast(0)),
      ]
    }
  }

  /// What the penalty is subtracted from.
  public enum Base: String, EnumParameter { case click, conversion, revenue, profit }

  public let params: Params
  private let base: Base

  public init(_ params: Params) {
    self.params = params
    base = params.base
  }

  public func rewards(for outcomes: OutcomeBatch, into rewards: UnsafeMutableBufferPointer<Double>) {
    let cap = Double(params.cap), penalty = params.penalty
    for i in 0..<outcomes.count {
      let value: Double
      switch base {
      case .click: value = outcomes.clicks[i]
      case .conversion: value = outcomes.conversions[i]
      case .revenue: value = outcomes.revenue[i]
      case .profit: value = outcomes.margin[i] - outcomes.cost[i]
      }
      rewards[i] = value - (outcomes.frequency[i] > cap ? penalty * outcomes.impressions[i] : 0)
    }
  }
}
