import AdLabCore

extension PluginRegistry {
  /// Registers every environment of this target.
  public mutating func registerEnvironments() {
    environments.register(
      "bernoulli", summary: "K ads with fixed or drifting Bernoulli click-through rates (given or drawn from a Beta prior)",
      parameters: BernoulliEnvironment.Params.self,
      capabilities: { _ in PluginCapabilities(.oracle, outcomeColumns: .clicks, featureSchema: .empty) },
      check: { params, view in BernoulliEnvironment.specProblems(params, horizon: view.horizon) },
      memory: { params, view in EnvironmentMemory.bernoulli(params, view) }
    ) { params, context in try BernoulliEnvironment(params, context: context) }
    environments.register(
      "contextual", summary: "synthetic contextual bandit with a known linear or logistic (optionally non-linear) click model",
      parameters: ContextualEnvironment.Params.self,
      capabilities: { params in
        PluginCapabilities(
          .oracle, outcomeColumns: params.conversions ? [.clicks, .conversions] : .clicks, featureSchema: ContextualEnvironment.schema(params))
      },
      memory: { params, view in EnvironmentMemory.contextual(params, view) }
    ) { params, context in ContextualEnvironment(params, context: context) }
    environments.register(
      "ecommerce",
      summary: "simulated e-commerce ad market: catalog, budgeted CPC/CPM campaigns in an auction, users with interests, fatigue, sessions and churn; slotted page views",
      parameters: EcommerceEnvironment.Params.self,
      capabilities: { params in
        PluginCapabilities(
          [.oracle, .marketCounters], outcomeColumns: [.clicks, .conversions, .revenue, .cost, .margin, .frequency], slots: params.slots,
          featureSchema: EcommerceEnvironment.schema(params))
      },
      memory: { params, view in EnvironmentMemory.ecommerce(params, view) }
    ) { params, context in EcommerceEnvironment(params, context: context) }
  }
}
