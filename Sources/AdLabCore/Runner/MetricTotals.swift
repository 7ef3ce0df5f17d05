/// Sums of what happened over a span of decisions (a window or a whole run). Ratios are derived.
public struct MetricTotals: Sendable, Equatable {
  public var decisions: Double = 0
  public var impressions: Double = 0
  public var clicks: Double = 0
  public var conversions: Double = 0
  public var revenue: Double = 0
  public var margin: Double = 0
  public var cost: Double = 0
  public var reward: Double = 0
  /// Expected regret against the oracle's best candidate (pseudo-regret).
  public var regret: Double = 0
  /// Decisions whose shown ad had an interest-model prediction, the sum of those predicted click
  /// probabilities, and the sum of their log losses against the observed clicks.
  public var predicted: Double = 0
  public var predictedClicks: Double = 0
  public var logLoss: Double = 0
  /// Impressions and clicks of new items, decisions that offered at least one new item and their regret (see
  /// `DecisionBatch.newItemCandidates`).
  public var newItemImpressions: Double = 0
  public var newItemClicks: Double = 0
  public var newItemDecisions: Double = 0
  public var newItemRegret: Double = 0
  /// Budgets, user-days, returns and exposure frequency, for environments that report them.
  public var market = MarketCounters()

  public init() {}

  public static func += (lhs: inout MetricTotals, rhs: MetricTotals) {
    lhs.decisions += rhs.decisions
    lhs.impressions += rhs.impressions
    lhs.clicks += rhs.clicks
    lhs.conversions += rhs.conversions
    lhs.revenue += rhs.revenue
    lhs.margin += rhs.margin
    lhs.cost += rhs.cost
    lhs.reward += rhs.reward
    lhs.regret += rhs.regret
    lhs.predicted += rhs.predicted
    lhs.predictedClicks += rhs.predictedClicks
    lhs.logLoss += rhs.logLoss
    lhs.newItemImpressions += rhs.newItemImpressions
    lhs.newItemClicks += rhs.newItemClicks
    lhs.newItemDecisions += rhs.newItemDecisions
    lhs.newItemRegret += rhs.newItemRegret
    lhs.market += rhs.market
  }
}

/// A metric reported per variant: how it is computed from totals and when it applies.
public enum Metric: String, CaseIterable, Sendable {
  case decisions, impressions, clicks, ctr, conversions, cvr, revenue, spend
  /// Margin minus ad spend.
  case profit
  /// Return on ad spend as (return − spend) / spend, where the return is the margin when any was earned
  /// (environments that model margin), else the revenue.
  case roi
  /// Return on ad spend as revenue / spend.
  case roas
  /// Spend over the budget made available.
  case budgetUtilisation = "budget_utilisation"
  /// Impressions per active user-day, its 90th percentile (histogram bucket), and the share of ended
  /// user-days followed by a visit the next day.
  case adsPerUserDay = "ads_per_user_day"
  case adsPerUserDayP90 = "ads_per_user_day_p90"
  case returnRate = "return_rate"
  case reward
  case rewardPerDecision = "reward_per_decision"
  case regret
  case regretPerDecision = "regret_per_decision"
  /// Mean predicted CTR of the shown ads (interest model).
  case predictedCTR = "predicted_ctr"
  /// Predicted clicks over observed clicks of the shown ads: 1 is calibrated.
  case calibration
  /// Mean log loss of the model's pCTR on the shown ads.
  case logLoss = "logloss"
  /// Clicks over impressions of new items (items younger than the environment's new-item window).
  case newItemCTR = "new_item_ctr"
  /// Share of impressions that showed a new item.
  case newItemShare = "new_item_share"
  /// Regret summed over the decisions that offered at least one new item, and per such decision.
  case newItemRegret = "new_item_regret"
  case newItemRegretPerDecision = "new_item_regret_per_decision"

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
    case .profit: return t.margin - t.cost
    case .roi: return ratio((t.margin != 0 ? t.margin : t.revenue) - t.cost, t.cost)
    case .roas: return ratio(t.revenue, t.cost)
    case .budgetUtilisation: return ratio(t.cost, t.market.budget)
    case .adsPerUserDay: return ratio(t.impressions, t.market.userDays)
    case .adsPerUserDayP90: return t.market.frequencyQuantile(0.9)
    case .returnRate: return ratio(t.market.retained, t.market.retentionBase)
    case .reward: return t.reward
    case .rewardPerDecision: return ratio(t.reward, t.decisions)
    case .regret: return t.regret
    case .regretPerDecision: return ratio(t.regret, t.decisions)
    case .predictedCTR: return ratio(t.predictedClicks, t.predicted)
    case .calibration: return t.predicted == 0 ? .nan : ratio(t.predictedClicks, t.clicks)
    case .logLoss: return ratio(t.logLoss, t.predicted)
    case .newItemCTR: return ratio(t.newItemClicks, t.newItemImpressions)
    case .newItemShare: return ratio(t.newItemImpressions, t.impressions)
    case .newItemRegret: return t.newItemRegret
    case .newItemRegretPerDecision: return ratio(t.newItemRegret, t.newItemDecisions)
    }
  }

  /// Whether more is better (for marking lifts as gains or losses).
  public var higherIsBetter: Bool {
    ![
      .regret, .regretPerDecision, .newItemRegret, .newItemRegretPerDecision, .spend, .logLoss, .adsPerUserDay,
      .adsPerUserDayP90,
    ].contains(self)
  }

  /// The metrics that mean something for an environment with these columns, oracle and market counters, and
  /// for variants of which at least one has an interest model, and for environments where items arrive.
  public static func applicable(
    columns: OutcomeColumns, hasOracle: Bool, hasModel: Bool = false, hasMarket: Bool = false, hasNewItems: Bool = false
  ) -> [Metric] {
    allCases.filter { metric in
      switch metric {
      case .decisions, .impressions, .reward, .rewardPerDecision: return true
      case .clicks, .ctr: return columns.contains(.clicks)
      case .conversions, .cvr: return columns.contains(.conversions)
      case .revenue: return columns.contains(.revenue)
      case .spend: return columns.contains(.cost)
      case .profit: return columns.contains(.cost) && columns.contains(.margin)
      case .roi, .roas: return columns.contains(.cost) && columns.contains(.revenue)
      case .budgetUtilisation: return hasMarket && columns.contains(.cost)
      case .adsPerUserDay, .adsPerUserDayP90, .returnRate: return hasMarket
      case .regret, .regretPerDecision: return hasOracle
      case .predictedCTR, .calibration, .logLoss: return hasModel && columns.contains(.clicks)
      case .newItemCTR: return hasNewItems && columns.contains(.clicks)
      case .newItemShare: return hasNewItems
      case .newItemRegret, .newItemRegretPerDecision: return hasNewItems && hasOracle
      }
    }
  }
}
