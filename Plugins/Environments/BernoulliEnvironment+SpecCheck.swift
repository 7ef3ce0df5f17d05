import AdLabCore

extension BernoulliEnvironment {
  /// The most drift rates (periods × ads) a run may precompute.
  static let maxDriftRates = 50_000_000

  /// Spec-time check: a drifting market precomputes one rate per (period, ad) for the whole horizon.
  static func specProblems(_ params: Params, horizon: Int) -> [PluginProblem] {
    guard params.drift > 0, params.driftInterval > 0 else { return [] }
    let periods = (horizon + params.driftInterval - 1) / params.driftInterval
    let (rates, overflow) = periods.multipliedReportingOverflow(by: params.arms)
    guard overflow || rates > maxDriftRates else { return [] }
    let needed = (horizon + maxDriftRates / max(params.arms, 1) - 1) / max(maxDriftRates / max(params.arms, 1), 1)
    return [
      PluginProblem(
        key: "drift_interval",
        "drift needs \(periods) periods × \(params.arms) ads = \(overflow ? "too many" : String(rates)) rates (at most 50,000,000)",
        suggestion: "raise drift_interval to at least \(needed)")
    ]
  }
}
