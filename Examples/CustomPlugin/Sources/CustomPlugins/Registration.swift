import AdLabCore

/// Registers this package's plugins on top of whatever `registry` already holds (AdLab's built-ins, say).
public func registerCustomPlugins(into registry: inout PluginRegistry) {
  registry.environments.register(
    "weekend", summary: "K ads whose click-through rates follow a weekday and a weekend schedule",
    parameters: WeekendEnvironment.Params.self,
    capabilities: { _ in PluginCapabilities(.oracle, outcomeColumns: .clicks, featureSchema: .empty) }
  ) { params, context in WeekendEnvironment(params, context: context) }
  registry.policies.register(
    "explore-then-commit", summary: "uniformly random ads for a fixed number of decisions, then the best observed",
    parameters: ExploreThenCommitPolicy.Params.self
  ) { params, context in ExploreThenCommitPolicy(params, context: context) }
  registry.rewards.register(
    "valued-click", summary: "value per click minus cost per impression", parameters: ValuedClickReward.Params.self
  ) { params, _ in ValuedClickReward(params) }
}
