import AdLabCore

extension PluginRegistry {
  /// Registers the policies made for off-policy evaluation (kept apart from `registerPolicies` so the two
  /// families of policies evolve independently).
  public mutating func registerEvaluationPolicies() {
    policies.register(
      "bernoulli-ts",
      summary: "Bernoulli Thompson sampling ranked into slots, with given or OBD production (zozotown) Beta priors",
      parameters: BernoulliTSEvaluationPolicy.Params.self,
      capabilities: { _ in PluginCapabilities(.evaluableOffPolicy) },
      check: { params, view in
        PolicySpecChecks.fixedItemSet(
          plugin: "bernoulli-ts", lists: [("alpha", params.alpha.count), ("beta", params.beta.count)], oneForAll: true,
          view: view)
      }
    ) { params, context in try BernoulliTSEvaluationPolicy(params, context: context) }
    policies.register(
      "epsilon-greedy-ranking",
      summary: "fixed ε-greedy ranking by given scores (or OBD prior means) with an exact action distribution",
      parameters: EpsilonGreedyRankingPolicy.Params.self,
      capabilities: { _ in PluginCapabilities(.evaluableOffPolicy) },
      check: { params, view in
        PolicySpecChecks.logsOnlyPrior(params.prior == .zozotown, plugin: "epsilon-greedy-ranking", view: view)
          + PolicySpecChecks.fixedItemSet(
            plugin: "epsilon-greedy-ranking",
            lists: params.prior == .none && !params.scores.isEmpty ? [("scores", params.scores.count)] : [],
            oneForAll: false, view: view)
      }
    ) { params, context in try EpsilonGreedyRankingPolicy(params, context: context) }
  }
}
