import AdLabCore
import AdLabTensor

/// Spec-time checks of interest-model parameters against the environment's declared features (see
/// `PluginFamily.register(check:)`): the same lookups the models make when built, so `adlab validate` reports a
/// missing feature at the offending key instead of `run` failing.
enum ModelSpecChecks {
  /// Runs `body` on the declared schema; what it throws becomes a problem at `key` (nil: at the model).
  static func features(_ view: SpecView, key: String?, _ body: (FeatureSchema) throws -> Void) -> [PluginProblem] {
    guard let schema = view.environment?.featureSchema else { return [] }
    do {
      try body(schema)
      return []
    } catch {
      return [PluginProblem(key: key, "\(error)")]
    }
  }

  /// Feature hashing for the checks only: which bucket a feature lands in does not change what is valid.
  static let hasher = FeatureHasher(key: StreamKey(seed: 0), buckets: 1)

  static func logistic(_ params: LogisticModel.Params, view: SpecView) -> [PluginProblem] {
    let ignored = self.ignored(params.ignoreFeatures, view: view)
    guard ignored.isEmpty else { return ignored }
    return features(view, key: "crosses") { schema in
      let schema = try FeatureSelection(schema, ignoring: params.ignoreFeatures).schema
      _ = try SparseLayout(encoder: FeatureEncoder(schema: schema, hasher: hasher), crosses: params.crosses)
    }
  }

  /// `ignore_features` names dense features of the environment.
  static func ignored(_ names: [String], view: SpecView) -> [PluginProblem] {
    features(view, key: "ignore_features") { schema in _ = try FeatureSelection(schema, ignoring: names) }
  }

  /// A neural model is checked by building a miniature of it (one bucket, width-1 embeddings) on the declared
  /// schema: the same code path as the real build, at a negligible size.
  static func deepFM(_ params: DeepFMNetwork<Float>.Params, view: SpecView) -> [PluginProblem] {
    var tiny = params
    tiny.buckets = 1
    tiny.embedding = 1
    return features(view, key: nil) { schema in
      _ = try DeepFMNetwork<Float>.make(tiny, schema: schema, key: StreamKey(seed: 0))
    }
  }

  static func din(_ params: DeepInterestNetwork<Float>.Params, view: SpecView) -> [PluginProblem] {
    var tiny = params
    tiny.buckets = 1
    tiny.embedding = 1
    return features(view, key: nil) { schema in
      _ = try DeepInterestNetwork<Float>.make(tiny, schema: schema, key: StreamKey(seed: 0))
    }
  }

  static func twoTower(_ params: TwoTowerNetwork<Float>.Params, view: SpecView) -> [PluginProblem] {
    var tiny = params
    tiny.buckets = 1
    tiny.embedding = 1
    let ignored = self.ignored(params.ignoreFeatures, view: view)
    guard ignored.isEmpty else { return ignored }
    return features(view, key: nil) { schema in
      _ = try TwoTowerNetwork<Float>.make(
        tiny, schema: FeatureSelection(schema, ignoring: params.ignoreFeatures).schema, key: StreamKey(seed: 0))
    }
  }
}
