import AdLabBuiltins
import AdLabCore
import AdLabTensor
import Foundation

@testable import AdLabModels

/// Small specs and helpers shared by the model tests (sizes chosen for debug builds).
enum ModelTestSupport {
  /// A contextual market a model of every kind can represent: σ(4 θ_a·x + b_a) with 4 ads and 4-wide x.
  static let linearMarket = "{ plugin: contextual, params: { link: logistic, arms: 4, dimension: 4, scale: 4 } }"
  /// Clicks that depend only on the ad's base rate and its similarity to the closest history item.
  static let historyMarket =
    "{ plugin: contextual, params: { link: logistic, arms: 6, dimension: 1, scale: 0, history: 6, items: 6, clusters: 6, history_weight: 4 } }"

  static func spec(environment: String, models: [String: String], training: String, seed: Int = 5) throws
    -> ExperimentSpec
  {
    let variants = models.keys.sorted().map { "  \($0): { policy: random, model: \(models[$0] ?? "") }" }.joined(
      separator: "\n")
    let text = """
      name: model-test
      seed: \(seed)
      horizon: 1000
      batch: 100
      environment: \(environment)
      variants:
      \(variants)
      training: \(training)
      """
    return try SpecLoader.load(text: text, file: "model-test.yaml", registry: .builtin).spec
  }

  static func train(environment: String, models: [String: String], training: String, jobs: Int = 2, seed: Int = 5)
    async throws -> TrainingResult
  {
    try await OfflineTrainer(jobs: jobs).run(
      try spec(environment: environment, models: models, training: training, seed: seed))
  }

  /// A context for making models directly on `schema`.
  static func context(_ schema: FeatureSchema, seed: UInt64 = 3) -> PluginContext {
    PluginContext(
      key: StreamKey(seed: seed).child("model"), replication: 0, horizon: 1000, batchSize: 100, candidateCount: 1,
      featureSchema: schema)
  }

  /// Logged impressions of an environment (for direct model tests).
  static func logged(_ environment: String, count: Int) throws -> (LoggedDataset, FeatureSchema) {
    let spec = try spec(environment: environment, models: ["m": "logistic"], training: "{}")
    let env = try spec.environment.make(
      PluginContext(
        key: StreamKey(seed: 8).child("env"), replication: 0, horizon: count, batchSize: 100, candidateCount: 0))
    return (LoggedDataset.log(env, count: count, chunk: 512, key: StreamKey(seed: 8).child("log")), env.featureSchema)
  }
}
