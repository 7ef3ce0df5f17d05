import AdLabCore

/// Spec-time checks of policy parameters (see `PluginFamily.register(check:)`): what used to fail only when the
/// policy was built, or trap in the middle of a run, is reported by `adlab validate` at the offending key.
enum PolicySpecChecks {
  /// An objective that multiplies by pCVR needs a model that predicts conversions (when the variant has a model).
  static func objective(_ kind: ObjectiveKind, plugin: String, view: SpecView) -> [PluginProblem] {
    guard kind.usesConversions, let model = view.model, !model.contains(.predictsConversions) else { return [] }
    return [
      PluginProblem(
        key: "objective",
        "\(plugin): objective '\(kind.rawValue)' needs pCVR, and the variant's interest model does not predict conversions",
        suggestion:
          "use objective: click or value, or a model with a conversion head (e.g. deepfm with conversion: clicked or esmm)"
      )
    ]
  }

  /// A prior read from Open Bandit Dataset logs exists only when the environment replays logs.
  static func logsOnlyPrior(_ readsLogs: Bool, plugin: String, view: SpecView) -> [PluginProblem] {
    guard readsLogs, let environment = view.environment, !environment.contains(.replaysLogs) else { return [] }
    return [
      PluginProblem(
        key: "prior",
        "\(plugin): prior 'zozotown' reads its scores from Open Bandit Dataset logs, and this environment simulates a market",
        suggestion:
          "give 'scores' (one per item) for an online run, or evaluate off-policy on environment 'logged' with dataset: obd"
      )
    ]
  }

  /// A policy of a fixed item set (one posterior or score per item) needs every ad among each decision's
  /// candidates, and each per-item list (`lists`: key and length) with one value per item, or one for all where
  /// `oneForAll` allows it.
  static func fixedItemSet(
    plugin: String, lists: [(key: String, count: Int)], oneForAll: Bool, view: SpecView
  ) -> [PluginProblem] {
    guard let environment = view.environment, let candidates = environment.candidates else { return [] }
    if let ads = environment.ads, ads != candidates {
      return [
        PluginProblem(
          key: nil,
          "\(plugin) keeps one value per item of a fixed item set, but this environment serves \(candidates) of \(ads) ads per decision",
          suggestion:
            "set the environment's candidates equal to its ads, or use thompson, which keeps its statistics per ad id")
      ]
    }
    return lists.compactMap { list in
      guard list.count != candidates, !(oneForAll && list.count == 1) else { return nil }
      return PluginProblem(
        key: list.key, "\(plugin): \(list.key) has \(list.count) values but the environment has \(candidates) items",
        suggestion: oneForAll
          ? "give one value for every item, or exactly \(candidates)"
          : "give exactly \(candidates) values, one per item")
    }
  }

  /// Thompson's 'matching' sampling draws one ad per decision, so it cannot fill several slots.
  static func thompson(_ params: ThompsonPolicy.Params, view: SpecView) -> [PluginProblem] {
    guard params.sampling == .matching, let slots = view.environment?.slots, slots > 1 else { return [] }
    return [
      PluginProblem(
        key: "sampling",
        "thompson: sampling 'matching' draws one ad per decision, and the environment has \(slots) slots",
        suggestion: "use sampling: posterior-draws")
    ]
  }
}

extension PolicySpecChecks {
  /// Runs `body` (the same feature lookups the policy's init makes) on the environment's declared schema, and
  /// turns what it throws into a problem at `key`. Nothing when the schema is only known at run time (logs).
  static func features(_ view: SpecView, key: String, _ body: (FeatureSchema) throws -> Void) -> [PluginProblem] {
    guard let schema = view.environment?.featureSchema else { return [] }
    do {
      try body(schema)
      return []
    } catch {
      return [PluginProblem(key: key, "\(error)")]
    }
  }

  /// `objective` and `value_feature` of a model-ranking policy.
  static func ranking(_ kind: ObjectiveKind, valueFeature: String, plugin: String, view: SpecView) -> [PluginProblem] {
    objective(kind, plugin: plugin, view: view)
      + features(view, key: "value_feature") { schema in
        _ = try ModelObjective(kind: kind, valueFeature: valueFeature, schema: schema, plugin: plugin)
      }
  }

  static func linUCB(_ params: LinUCBPolicy.Params, view: SpecView) -> [PluginProblem] {
    features(view, key: "features") { schema in
      _ = try ContextVectors(schema: schema, names: params.features, plugin: "linucb")
    }
      + (params.mode != .hybrid
        ? []
        : features(view, key: "shared_features") { schema in
          _ = try HybridState(
            schema: schema, names: params.sharedFeatures, arms: 1, dimension: 1, regularization: params.regularization)
        })
  }

  static func sequential<P: SequentialParameters>(_ params: P, plugin: String, binned: Bool, view: SpecView)
    -> [PluginProblem]
  {
    ranking(params.sequential.objective, valueFeature: params.sequential.valueFeature, plugin: plugin, view: view)
      + features(view, key: "state_features") { schema in
        _ = try StateEncoder(params.sequential.stateFeatures, schema: schema, plugin: plugin, binned: binned)
      }
  }
}
