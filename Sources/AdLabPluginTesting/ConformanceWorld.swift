public import AdLabCore
import AdLabTensor

/// A small, valid experiment around one plugin under test: the first fixture environment (and, for a policy that
/// needs one, the first registered model) with which the spec loader accepts it, so the spec-time checks pick the
/// world and the kit needs no list of plugin names.
public struct ConformanceWorld: Sendable {
  /// Environments tried in order; entries naming an unregistered plugin are skipped. A package passes its own.
  public static let defaultEnvironments = [
    "{ plugin: bernoulli, params: { arms: 6 } }",
    "{ plugin: contextual, params: { arms: 6, dimension: 4 } }",
    "{ plugin: ecommerce, params: { users: 400, items: 60, ads: 20, slots: 3 } }",
  ]

  public let spec: ExperimentSpec

  /// The world for policy `name`, or nil when no fixture environment accepts it (the message says why).
  /// `params` (a YAML mapping) is for plugins whose defaults are not valid on their own (e.g. they need given scores).
  public static func forPolicy(
    _ name: String, params: String? = nil, registry: PluginRegistry, environments: [String] = defaultEnvironments,
    horizon: Int = 400, batch: Int = 50
  ) -> Result<ConformanceWorld, ConformanceFailure> {
    let policy = params.map { "{ plugin: \(name), params: \($0) }" } ?? name
    let needsModel = registry.policies.descriptor(named: name)?.capabilities.contains(.needsModel) ?? false
    let models: [String?] = needsModel ? registry.models.names.map { $0 } : [nil]
    let registered = Set(registry.environments.names)
    var lastError = "no fixture environment is registered"
    for environment in environments
    where registered.contains(where: {
      environment.contains("plugin: \($0),") || environment.contains("plugin: \($0) ")
    }) {
      for model in models {
        let text = """
          name: conformance
          seed: 7
          replications: 1
          horizon: \(horizon)
          batch: \(batch)
          environment: \(environment)
          variants: { a: { policy: \(policy)\(model.map { ", model: \($0)" } ?? "") } }
          """
        do {
          return .success(
            ConformanceWorld(spec: try SpecLoader.load(text: text, file: "conformance.yaml", registry: registry).spec))
        } catch {
          lastError = "\(error)"
        }
      }
    }
    return .failure(
      ConformanceFailure(plugin: name, check: "world", "no fixture environment accepts it; last error: \(lastError)"))
  }

  /// The world for environment `name` (with `params`, a YAML mapping, or its defaults): the environment beside a
  /// policy that needs no model, for `horizon` decisions in batches of `batch`.
  public static func forEnvironment(
    _ name: String, params: String? = nil, registry: PluginRegistry, horizon: Int, batch: Int
  ) -> Result<ConformanceWorld, ConformanceFailure> {
    guard let policy = plainPolicy(in: registry) else {
      return .failure(ConformanceFailure(plugin: name, check: "world", "no registered policy works without a model"))
    }
    let environment = params.map { "{ plugin: \(name), params: \($0) }" } ?? "{ plugin: \(name) }"
    return load(
      name, environment: environment, variant: "{ policy: \(policy) }", horizon: horizon, batch: batch,
      registry: registry)
  }

  /// The world for interest model `name`: the kit's `SeparableToyEnvironment` (added to a copy of `registry`, so
  /// the model needs no fixture of the package's own) and a policy that needs no model.
  public static func forModel(
    _ name: String, params: String? = nil, registry: PluginRegistry, horizon: Int, batch: Int
  ) -> Result<ConformanceWorld, ConformanceFailure> {
    var registry = registry
    registry.registerSeparableToy()
    guard let policy = plainPolicy(in: registry) else {
      return .failure(ConformanceFailure(plugin: name, check: "world", "no registered policy works without a model"))
    }
    let model = params.map { "{ plugin: \(name), params: \($0) }" } ?? "{ plugin: \(name) }"
    return load(
      name, environment: "{ plugin: \(SeparableToyEnvironment.pluginName) }",
      variant: "{ policy: \(policy), model: \(model) }",
      horizon: horizon, batch: batch, registry: registry)
  }

  /// `random` when registered (it reads nothing and learns nothing), else the first policy that needs no model.
  static func plainPolicy(in registry: PluginRegistry) -> String? {
    let plain = registry.policies.descriptors.filter { !$0.requiresModel }.map(\.name)
    return plain.contains("random") ? "random" : plain.first
  }

  static func load(
    _ name: String, environment: String, variant: String, horizon: Int, batch: Int, registry: PluginRegistry
  ) -> Result<ConformanceWorld, ConformanceFailure> {
    let text = """
      name: conformance
      seed: 7
      replications: 1
      horizon: \(horizon)
      batch: \(batch)
      environment: \(environment)
      variants: { a: \(variant) }
      """
    do {
      return .success(
        ConformanceWorld(spec: try SpecLoader.load(text: text, file: "conformance.yaml", registry: registry).spec))
    } catch {
      return .failure(ConformanceFailure(plugin: name, check: "world", "the spec around it does not load: \(error)"))
    }
  }

  /// A fresh context for `kind`, as the runner makes one for replication 0.
  public func context(_ kind: PluginKind, environment: (any Environment)?) -> PluginContext {
    PluginContext(
      key: RandomStreams.plugin(kind, seed: spec.seed, replication: 0), replication: 0, horizon: spec.horizon,
      batchSize: spec.batchSize, candidateCount: environment?.candidateCount ?? 0,
      featureSchema: environment?.featureSchema ?? .empty, slotCount: environment?.slotCount ?? 1,
      adCount: environment?.adCount)
  }
}

/// One broken promise of a plugin, named by plugin and check.
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
  public var plugin: String
  public var check: String
  public var message: String

  public init(plugin: String, check: String, _ message: String) {
    self.plugin = plugin
    self.check = check
    self.message = message
  }

  public var description: String { "\(plugin): \(check): \(message)" }
}

/// The failures of one plugin's run of a suite, at most one per check: the first broken instance says what is wrong,
/// and a thousand copies of it would bury the other checks.
final class ConformanceLog {
  let plugin: String
  private(set) var failures: [ConformanceFailure] = []

  init(plugin: String) { self.plugin = plugin }

  func fail(_ check: String, _ message: String) {
    guard !failures.contains(where: { $0.check == check }) else { return }
    failures.append(ConformanceFailure(plugin: plugin, check: check, message))
  }
}
