/// What a plugin's spec-time check sees of the rest of the spec: the run's shape and the declared capabilities of
/// the plugins it is combined with. Checks run in `SpecLoader`, so `adlab validate` catches what `run` would.
public struct SpecView: Sendable {
  public var horizon: Int
  public var batchSize: Int
  /// The environment's capabilities (nil when the environment itself is invalid or being checked).
  public var environment: PluginCapabilities?
  /// The variant's interest model's capabilities (nil when the variant has none, or for non-policy plugins).
  public var model: PluginCapabilities?

  public init(horizon: Int, batchSize: Int, environment: PluginCapabilities? = nil, model: PluginCapabilities? = nil) {
    self.horizon = horizon
    self.batchSize = batchSize
    self.environment = environment
    self.model = model
  }
}

/// A problem a plugin's spec-time check found, reported at `key` of its params (or at the plugin when nil).
public struct PluginProblem: Sendable, Equatable {
  public var key: String?
  public var message: String
  public var suggestion: String?

  public init(key: String?, _ message: String, suggestion: String? = nil) {
    self.key = key
    self.message = message
    self.suggestion = suggestion
  }
}

/// Where a prepared plugin's parameters are in the spec, so a spec-time problem points at its key.
public struct ParameterMarks: Sendable {
  /// The plugin's params mapping, or its name when it has no params.
  public var plugin: SourceMark
  /// The params' path, e.g. "variants.a.policy.params".
  public var path: String
  var keys: [String: SourceMark] = [:]

  init(plugin: SourceMark, params: YAMLNode?, path: String) {
    self.plugin = plugin
    self.path = path
    if case .mapping(let mapping)? = params {
      for (key, value) in mapping.entries { keys[key.text] = value.mark }
    }
  }

  /// Records `problems` in `sink`, each at its key's value when the spec sets it, else at the plugin.
  func report(_ problems: [PluginProblem], into sink: DiagnosticSink) {
    for problem in problems {
      let at = problem.key.flatMap { keys[$0] } ?? plugin
      sink.error(
        problem.message, at: at, path: problem.key.map { joinPath(path, $0) } ?? path, suggestion: problem.suggestion)
    }
  }
}

extension PreparedPlugin {
  /// Runs the plugin's spec-time check with `view` and records its problems; false when there were any.
  public func checkAtSpecTime(_ view: SpecView, sink: DiagnosticSink) -> Bool {
    let problems = check(view)
    marks.report(problems, into: sink)
    return problems.isEmpty
  }
}
