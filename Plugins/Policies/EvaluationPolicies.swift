import AdLabCore

extension PluginRegistry {
  /// Registers the policies made for off-policy evaluation (kept apart from `registerPolicies` so the two
  /// families of policies evolve independently).
  public mutating func registerEvaluationPolicies() {
    policies.register(
      "bernoulli-ts", summary: "Bernoulli Thompson sampling ranked into slots, with given or OBD production (zozotown) Beta priors",
      parameters: BernoulliTSEvaluationPolicy.Params.self
    ) { params, context in try BernoulliTSEvaluationPolicy(params, context: context) }
  }
}
