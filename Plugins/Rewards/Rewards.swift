import AdLabCore

extension PluginRegistry {
  /// Registers every reward function of this target.
  public mutating func registerRewards() {
    rewards.register("click", summary: "1 per click: maximises click-through rate", parameters: NoParameters.self) {
      _, _ in
      ClickReward()
    }
    rewards.register(
      "conversion", summary: "1 per purchase after a click: maximises conversions", parameters: NoParameters.self
    ) { _, _ in
      ConversionReward()
    }
    rewards.register("revenue", summary: "the revenue (GMV) of purchases", parameters: NoParameters.self) { _, _ in
      RevenueReward()
    }
    rewards.register("profit", summary: "margin of purchases minus ad cost", parameters: NoParameters.self) { _, _ in
      ProfitReward()
    }
    rewards.register(
      "roi-constrained",
      summary: "profit with an ROI ≥ target constraint, Lagrange multiplier learned by projected dual ascent",
      parameters: ROIConstrainedReward.Params.self
    ) { params, _ in ROIConstrainedReward(params) }
    rewards.register(
      "fatigue-penalised",
      summary: "click, conversion, revenue or profit minus a penalty per impression above a frequency cap",
      parameters: FatiguePenalisedReward.Params.self
    ) { params, _ in FatiguePenalisedReward(params) }
  }
}
