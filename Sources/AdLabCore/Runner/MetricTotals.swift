/// Sums of what happened over a span of decisions (a window or a whole run). Ratios are derived.
public struct MetricTotals: Sendable, Equatable {
  public var decisions: Double = 0
  public var impressions: Double = 0
  public var clicks: Double = 0
  public var conversions: Double = 0
  public var revenue: Double = 0
  public var cost: Double = 0
  public var reward: Double = 0
  /// Expected regret against the oracle's best candidate (pseudo-regret).
  public var regret: Double = 0

  public init() {}

  public static func += (lhs: inout MetricTotals, rhs: MetricTotals) {
    lhs.decisions += rhs.decisions
    lhs.impressions += rhs.impressions
    lhs.clicks += rhs.clicks
    lhs.conversions += rhs.conversions
    lhs.revenue += rhs.revenue
    lhs.cost += rhs.cost
    lhs.reward += rhs.reward
    lhs.regret += rhs.regret
  }
}

/// A metric reported per variant: how it is computed from totals and when it applies.
public enum Metric: String, CaseIterable, Sendable {
  case decisions, impressions, clicks, ctr, conversions, cvr, revenue, spend, roi, reward
  case rewardPerDecision = "reward_per_decision"
  case regret
  case regretPerDecision = "regret_per_decision"

  /// Value of the metric for the given totals (NaN when its denominator is zero).
  public func value(_ t: MetricTotals) -> Double {
    func ratio(_ a: Double, _ b: Double) -> Double { b == 0 ? .nan : a / b }
    switch self {
    case .decisions: return t.decisions
    case .impressions: return t.impressions
    case .clicks: return t.clicks
    case .ctr: return ratio(t.clicks, t.impressions)
    case .conversions: return t.conversions
    case .cvr: return ratio(t.conversions, t.clicks)
    case .revenue: return t.revenue
    case .spend: return t.cost
    case .roi: return ratio(t.revenue - t.cost, t.cost)
    case .reward: return t.reward
    case .rewardPerDecision: return ratio(t.reward, t.decisions)
    case .regret: return t.regret
    case .regretPerDecision: return ratio(t.regret, t.decisions)
    }
  }

  /// Whether more is better (for marking lifts as gains or losses).
  public var higherIsBetter: Bool { self != .regret && self != .regretPerDecision && self != .spend }

  /// The metrics that mean something for an environment with these columns and oracle.
  public static func applicable(columns: OutcomeColumns, hasOracle: Bool) -> [Metric] {
    allCases.filter { metric in
      switch metric {
      case .decisions, .impressions, .reward, .rewardPerDecision: return true
      case .clicks, .ctr: return columns.contains(.clicks)
      case .conversions, .cvr: return columns.contains(.conversions)
      case .revenue: return columns.contains(.revenue)
      case .spend: return columns.contains(.cost)
      case .roi: return columns.contains(.cost) && columns.contains(.revenue)
      case .regret, .regretPerDecision: return hasOracle
      }
    }
  }
}
