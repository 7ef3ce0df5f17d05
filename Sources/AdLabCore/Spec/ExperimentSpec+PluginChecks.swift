extension ExperimentSpec {
  /// Every plugin's spec-time check, each seeing the declared capabilities of the plugins it is combined with:
  /// the environment's for all, and a policy its variant's interest model's. Problems land in `sink` at the
  /// offending parameter key, so `adlab validate` reports them with exit code 2 before anything is built.
  static func checkPlugins(
    environment: PreparedPlugin<any Environment>?, reward: PreparedPlugin<any RewardFunction>?, variants: [Variant],
    horizon: Int, batch: Int, sink: DiagnosticSink
  ) {
    let base = SpecView(horizon: horizon, batchSize: batch)
    if let environment { _ = environment.checkAtSpecTime(base, sink: sink) }
    var view = base
    view.environment = environment?.capabilities
    if let reward { _ = reward.checkAtSpecTime(view, sink: sink) }
    for variant in variants {
      if let model = variant.model { _ = model.checkAtSpecTime(view, sink: sink) }
      if let reward = variant.reward { _ = reward.checkAtSpecTime(view, sink: sink) }
      var policyView = view
      policyView.model = variant.model?.capabilities
      _ = variant.policy.checkAtSpecTime(policyView, sink: sink)
    }
  }
}
