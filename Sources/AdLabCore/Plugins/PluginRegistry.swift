/// The four kinds of plugin an experiment combines.
public enum PluginKind: String, CaseIterable, Sendable {
  case environment, model, policy, reward

  /// Plural noun for listings, e.g. "environments".
  public var plural: String {
    switch self {
    case .environment: return "environments"
    case .model: return "interest models"
    case .policy: return "policies"
    case .reward: return "rewards"
    }
  }
}

/// The public face of a registered plugin: name, one-line summary and parameters.
public struct PluginDescriptor: Sendable {
  public var kind: PluginKind
  public var name: String
  public var summary: String
  public var parameters: [ParameterInfo]
  /// What the plugin is and needs with its default parameters (see `PreparedPlugin.capabilities` for a spec's).
  public var capabilities: PluginCapabilities
  /// A policy that reads `DecisionBatch.predictions`, so its variant must have an interest model.
  public var requiresModel: Bool { capabilities.contains(.needsModel) }

  public var json: JSONValue {
    .object([
      ("kind", .string(kind.rawValue)), ("name", .string(name)), ("summary", .string(summary)),
      ("requires_model", .bool(requiresModel)), ("capabilities", capabilities.json),
      ("parameters", .array(parameters.map(\.json))),
    ])
  }
}

/// A plugin chosen by a spec with its parameters decoded and checked: the recipe for fresh instances.
public struct PreparedPlugin<Product>: Sendable {
  public var name: String
  /// What this plugin, with these parameters, is and needs.
  public var capabilities: PluginCapabilities
  public var requiresModel: Bool { capabilities.contains(.needsModel) }
  /// The plugin's spec-time check of its parameters against the rest of the spec (nothing when it declared none).
  public var check: @Sendable (SpecView) -> [PluginProblem]
  /// Where the plugin and each of its parameter keys are in the spec, for reporting `check`'s problems.
  public var marks: ParameterMarks
  /// Every parameter with its value, defaults filled in.
  public var parameters: JSONValue
  /// Makes a new, unshared instance for one job.
  public var make: @Sendable (PluginContext) throws -> Product
  /// The memory one instance allocates (its large arrays), from its parameters (nothing when it declared none).
  public var memory: @Sendable (SpecView) -> [MemoryNeed] = { _ in [] }
}

/// The plugins of one kind, by kebab-case name.
public struct PluginFamily<Product>: Sendable {
  public let kind: PluginKind
  private var entries: [String: Entry] = [:]

  struct Entry: Sendable {
    var descriptor: PluginDescriptor
    var prepare: @Sendable (YAMLNode?, String, SourceMark, DiagnosticSink) -> PreparedPlugin<Product>?
  }

  init(kind: PluginKind) { self.kind = kind }

  /// Registers `name` with its parameter type and a factory that makes a fresh instance per job.
  /// Registering a name twice is a programming error.
  /// `requiresModel` marks a policy that reads the variant's interest-model predictions (the `.needsModel` flag).
  /// `capabilities` declares what the plugin is for given parameters; `check` is its spec-time check against the rest
  /// of the spec (every problem `make` could throw for a valid spec belongs there, so `adlab validate` finds it);
  /// `memory` declares what an instance allocates, so a spec that cannot fit is refused before anything is built.
  public mutating func register<Params: PluginParameters>(
    _ name: String, summary: String, parameters: Params.Type, requiresModel: Bool = false,
    capabilities: @escaping @Sendable (Params) -> PluginCapabilities = { _ in PluginCapabilities() },
    check: @escaping @Sendable (Params, SpecView) -> [PluginProblem] = { _, _ in [] },
    memory: @escaping @Sendable (Params, SpecView) -> [MemoryNeed] = { _, _ in [] },
    make: @escaping @Sendable (Params, PluginContext) throws -> Product
  ) {
    precondition(entries[name] == nil, "\(kind.rawValue) '\(name)' registered twice")
    precondition(
      name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "plugin names are kebab-case: '\(name)'")
    let declared: @Sendable (Params) -> PluginCapabilities = { params in
      var result = capabilities(params)
      if requiresModel { result.flags.insert(.needsModel) }
      return result
    }
    let descriptor = PluginDescriptor(
      kind: kind, name: name, summary: summary, parameters: Params.parameterInfo, capabilities: declared(Params()))
    entries[name] = Entry(descriptor: descriptor) { node, path, nameMark, sink in
      guard let params = Params.decode(node, path: path, sink: sink) else { return nil }
      return PreparedPlugin(
        name: name, capabilities: declared(params), check: { view in check(params, view) },
        marks: ParameterMarks(plugin: node?.mark ?? nameMark, params: node, path: path),
        parameters: params.resolvedJSON,
        make: { context in try make(params, context) },
        memory: { view in memory(params, view) })
    }
  }

  /// The entry for `name`, if registered.
  public func descriptor(named name: String) -> PluginDescriptor? { entries[name]?.descriptor }

  /// Registered names, sorted.
  public var names: [String] { entries.keys.sorted() }

  /// Descriptors of every plugin, sorted by name.
  public var descriptors: [PluginDescriptor] { names.compactMap { entries[$0]?.descriptor } }

  /// Decodes `params` for `name`, recording an unknown name (with the nearest names) or bad parameters in `sink`.
  public func prepare(name: String, nameMark: SourceMark, params: YAMLNode?, path: String, sink: DiagnosticSink)
    -> PreparedPlugin<Product>?
  {
    guard let entry = entries[name] else {
      let known = names
      let suggestion =
        NameSuggestion.didYouMean(name, in: known)
        ?? (known.isEmpty
          ? "no \(kind.plural) are registered" : "registered \(kind.plural): " + known.joined(separator: ", "))
      sink.error(
        "unknown \(kind.rawValue) plugin '\(name)'", at: nameMark, path: joinPath(path, "plugin"),
        suggestion: suggestion)
      return nil
    }
    return entry.prepare(params, joinPath(path, "params"), nameMark, sink)
  }
}

/// Every plugin AdLab can use, by kind. The core knows plugins only through this value, which the
/// command-line tool builds once (see `AdLabBuiltins`) and passes down; there is no global registry.
public struct PluginRegistry: Sendable {
  public var environments = PluginFamily<any Environment>(kind: .environment)
  public var models = PluginFamily<any InterestModel>(kind: .model)
  public var policies = PluginFamily<any Policy>(kind: .policy)
  public var rewards = PluginFamily<any RewardFunction>(kind: .reward)

  public init() {}

  /// Every plugin of the given kinds, grouped by kind in `PluginKind` order.
  public func descriptors(of kinds: [PluginKind] = PluginKind.allCases) -> [PluginDescriptor] {
    kinds.flatMap { kind -> [PluginDescriptor] in
      switch kind {
      case .environment: return environments.descriptors
      case .model: return models.descriptors
      case .policy: return policies.descriptors
      case .reward: return rewards.descriptors
      }
    }
  }
}
