import AdLabCore

extension PluginRegistry {
  /// Registers every environment of this target. `textEmbedder` serves the `ecommerce` market's text features
  /// (`text_features`); without one, a spec that asks for them is refused at load time.
  public mutating func registerEnvironments(textEmbedder: (any TextEmbedder)? = nil) {
    environments.register(
      "bernoulli",
      summary: "K ads with fixed or drifting Bernoulli click-through rates (given or drawn from a Beta prior)",
      parameters: BernoulliEnvironment.Params.self,
      capabilities: { params in
        PluginCapabilities(
          .oracle, outcomeColumns: .clicks, featureSchema: .empty, candidates: params.arms, ads: params.arms)
      },
      check: { params, view in BernoulliEnvironment.specProblems(params, horizon: view.horizon) },
      memory: { params, view in EnvironmentMemory.bernoulli(params, view) }
    ) { params, context in try BernoulliEnvironment(params, context: context) }
    environments.register(
      "contextual",
      summary: "synthetic contextual bandit with a known linear or logistic (optionally non-linear) click model",
      parameters: ContextualEnvironment.Params.self,
      capabilities: { params in
        PluginCapabilities(
          .oracle, outcomeColumns: params.conversions ? [.clicks, .conversions] : .clicks,
          featureSchema: ContextualEnvironment.schema(params),
          candidates: params.arms, ads: params.arms)
      },
      memory: { params, view in EnvironmentMemory.contextual(params, view) }
    ) { params, context in ContextualEnvironment(params, context: context) }
    environments.register(
      "ecommerce",
      summary:
        "simulated e-commerce ad market: catalog, budgeted CPC/CPM campaigns in an auction, users with interests, fatigue, sessions and churn; slotted page views",
      parameters: EcommerceEnvironment.Params.self,
      capabilities: { params in
        PluginCapabilities(
          params.hasArrivals ? [.oracle, .marketCounters, .newItems] : [.oracle, .marketCounters],
          outcomeColumns: [.clicks, .conversions, .revenue, .cost, .margin, .frequency], slots: params.slots,
          featureSchema: EcommerceEnvironment.schema(params), candidates: params.candidates,
          // Campaigns arriving mid-run add ads: the count is known only as the run goes.
          ads: params.hasArrivals ? nil : params.ads)
      },
      check: { params, _ in EcommerceEnvironment.textProblems(params, embedder: textEmbedder) },
      memory: { params, view in EnvironmentMemory.ecommerce(params, view) }
    ) { params, context in try EcommerceEnvironment.make(params, context: context, textEmbedder: textEmbedder) }
  }
}
