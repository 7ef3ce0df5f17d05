import AdLabCore

extension PluginRegistry {
  /// Registers every reward function of this target.
  public mutating func registerRewards() {
    rewards.register("click", summary: "1 per click: maximises click-through rate", parameters: NoParameters.self) { _, _ in
      ClickReward()
    }
  }
}
