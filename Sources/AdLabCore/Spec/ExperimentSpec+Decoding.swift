extension ExperimentSpec {
  static let topLevelKeys = [
    "name", "description", "seed", "replications", "horizon", "batch", "report_every",
    "environment", "reward", "variants", "comparison", "sweep", "training", "evaluation", "log",
  ]

  /// Decodes a spec tree strictly, recording every problem in `sink`; nil when there was any.
  static func decode(_ root: YAMLNode, registry: PluginRegistry, sink: DiagnosticSink) -> ExperimentSpec? {
    guard let top = MappingReader(root, path: "", sink: sink) else { return nil }
    let identifier = ParameterConstraint<String>("letters, digits, '-', '_' and '.'") { value in
      let ok =
        !value.isEmpty
        && value.unicodeScalars.allSatisfy {
          $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
        }
      return ok ? nil : "'\(value)' is not a valid name; use letters, digits, '-', '_' and '.'"
    }
    let name = top.decodeRequired("name", as: String.self, identifier, hint: "add e.g. 'name: my-experiment'")
    let description = top.decode("description", as: String.self) ?? ""
    let seed = top.decodeRequired(
      "seed", as: Int.self, .atLeast(0), hint: "add e.g. 'seed: 1'; every random draw derives from it")
    let replications = top.decode("replications", as: Int.self, .range(1...100_000)) ?? 10
    let horizon = top.decodeRequired(
      "horizon", as: Int.self, .range(1...10_000_000_000),
      hint: "add e.g. 'horizon: 100000' (decisions per replication)")
    let batch = top.decode("batch", as: Int.self, .range(1...10_000_000)) ?? 100
    let reportEveryNode = top.take("report_every")
    let reportEvery = reportEveryNode.flatMap { Int.decode($0, path: "report_every", sink: sink) }

    var environment: PreparedPlugin<any Environment>?
    if let node = top.require("environment", hint: "add e.g. 'environment: { plugin: bernoulli }'") {
      environment = decodePlugin(node, path: "environment", family: registry.environments, sink: sink)
    }
    var reward: PreparedPlugin<any RewardFunction>?
    if let node = top.take("reward") {
      reward = decodePlugin(node, path: "reward", family: registry.rewards, sink: sink)
    } else {
      reward = registry.rewards.prepare(name: "click", nameMark: root.mark, params: nil, path: "reward", sink: sink)
    }
    let variants = top.require("variants", hint: "list the variants to compare; the first is the control")
      .flatMap { decodeVariants($0, registry: registry, sink: sink) }

    var mode = Mode.paired
    var alpha = 0.05
    if let node = top.take("comparison"), !node.isNull, let reader = MappingReader(node, path: "comparison", sink: sink)
    {
      if let text = reader.decode("mode", as: String.self, .oneOf(Mode.allCases.map(\.rawValue))) {
        mode = Mode(rawValue: text) ?? .paired
      }
      alpha = reader.decode("alpha", as: Double.self, .openClosed(0, 0.5)) ?? alpha
      reader.finish(known: ["mode", "alpha"])
    }
    var sweep: SweepSpec?
    var sweepOK = true
    if let node = top.take("sweep"), !node.isNull {
      sweep = SweepSpec.decode(node, sink: sink)
      sweepOK = sweep != nil
    }
    var training: TrainingSettings?
    var trainingOK = true
    if let node = top.take("training") {
      training = TrainingSettings.decode(node, path: "training", sink: sink)
      trainingOK = training != nil
    }
    var evaluation: EvaluationSettings?
    var evaluationOK = true
    if let node = top.take("evaluation") {
      evaluation = EvaluationSettings.decode(node, path: "evaluation", registry: registry, sink: sink)
      evaluationOK = evaluation != nil
    }
    let logDecisions = top.decode("log", as: String.self, .oneOf(["none", "decisions"])) == "decisions"
    top.finish(known: topLevelKeys)

    if let horizon, batch > horizon {
      sink.error(
        "batch (\(batch)) is larger than horizon (\(horizon))", at: root.mark, path: "batch",
        suggestion: "use a batch of at most \(horizon)")
    }
    var window = 0
    if let horizon {
      window = reportEvery ?? defaultReportEvery(horizon: horizon, batch: batch)
      if let node = reportEveryNode, window < 1 || window > horizon {
        sink.error(
          "\(window) is out of range; allowed: 1 ≤ x ≤ horizon (\(horizon))", at: node.mark, path: "report_every")
      }
    }
    if let horizon {
      checkPlugins(
        environment: environment, reward: reward, variants: variants ?? [], horizon: horizon, batch: batch, sink: sink)
    }
    if let horizon, !sink.hasErrors {
      var marks: [String: SourceMark] = [:]
      for key in ["replications", "horizon"] { marks[key] = top.mapping[key]?.mark }
      if case .mapping(let block)? = top.mapping["training"] { marks["training.examples"] = block["examples"]?.mark }
      for training in [nil] + (training.map { [$0] } ?? []) where !sink.hasErrors {
        MemoryEstimate.of(
          environment: environment, variants: variants ?? [], replications: replications, horizon: horizon,
          batch: batch,
          reportEvery: window, logDecisions: logDecisions, training: training, marks: marks
        ).report(limit: MemoryLimit.current, sink: sink, rootMark: root.mark)
      }
    }
    guard !sink.hasErrors, sweepOK, trainingOK, evaluationOK, let name, let seed, let horizon, let environment,
      let reward, let variants
    else { return nil }
    return ExperimentSpec(
      name: name, description: description, seed: UInt64(seed), replications: replications, horizon: horizon,
      batchSize: batch, reportEvery: window, environment: environment, reward: reward, variants: variants,
      mode: mode, alpha: alpha, sweep: sweep, training: training, evaluation: evaluation, logDecisions: logDecisions)
  }

  /// About 50 windows per run, each a whole number of batches so windows align with learner updates.
  static func defaultReportEvery(horizon: Int, batch: Int) -> Int {
    let batches = (horizon + batch - 1) / batch
    return min(horizon, max(1, (batches + 49) / 50) * batch)
  }

  /// `{ plugin: NAME, params: {...} }`, or just `NAME` for the defaults.
  static func decodePlugin<P>(_ node: YAMLNode, path: String, family: PluginFamily<P>, sink: DiagnosticSink)
    -> PreparedPlugin<P>?
  {
    if case .scalar(let scalar) = node, scalar.resolved != .null {
      return family.prepare(name: scalar.text, nameMark: scalar.mark, params: nil, path: path, sink: sink)
    }
    guard let reader = MappingReader(node, path: path, sink: sink) else { return nil }
    let nameNode = reader.require(
      "plugin", hint: "registered \(family.kind.plural): " + family.names.joined(separator: ", "))
    let params = reader.take("params")
    reader.finish(known: ["plugin", "params"])
    guard let nameNode, let name = String.decode(nameNode, path: joinPath(path, "plugin"), sink: sink) else {
      return nil
    }
    return family.prepare(name: name, nameMark: nameNode.mark, params: params, path: path, sink: sink)
  }

  static func decodeVariants(_ node: YAMLNode, registry: PluginRegistry, sink: DiagnosticSink) -> [Variant]? {
    guard case .mapping(let mapping) = node else {
      sink.error(
        "expected a mapping of variant names to variants, found \(node.kindName)", at: node.mark, path: "variants",
        suggestion: "e.g. 'variants: { control: { policy: ucb1 }, treatment: { policy: thompson } }'")
      return nil
    }
    guard !mapping.entries.isEmpty else {
      sink.error("at least one variant is needed", at: node.mark, path: "variants")
      return nil
    }
    var variants: [Variant] = []
    var ok = true
    for (key, value) in mapping.entries {
      let path = "variants." + key.text
      if key.text.isEmpty
        || !key.text.unicodeScalars.allSatisfy({
          $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_".unicodeScalars.contains($0)
        })
      {
        sink.error(
          "'\(key.text)' is not a valid variant name; use letters, digits, '-' and '_'", at: key.mark, path: path)
        ok = false
        continue
      }
      guard let reader = MappingReader(value, path: path, sink: sink) else {
        ok = false
        continue
      }
      let policyNode = reader.require(
        "policy", hint: "registered policies: " + registry.policies.names.joined(separator: ", "))
      let policy = policyNode.flatMap {
        decodePlugin($0, path: path + ".policy", family: registry.policies, sink: sink)
      }
      let modelNode = reader.take("model")
      let model = modelNode.flatMap { decodePlugin($0, path: path + ".model", family: registry.models, sink: sink) }
      let weight = reader.decode("weight", as: Double.self, .greaterThan(0)) ?? 1
      let rewardNode = reader.take("reward")
      let reward = rewardNode.flatMap { decodePlugin($0, path: path + ".reward", family: registry.rewards, sink: sink) }
      reader.finish(known: ["policy", "model", "weight", "reward"])
      if let policy, let policyNode, policy.requiresModel, modelNode == nil {
        let models = registry.models.names
        sink.error(
          "policy '\(policy.name)' ranks ads by an interest model's predictions, but the variant has no model",
          at: policyNode.mark, path: path + ".policy",
          suggestion: "add e.g. 'model: { plugin: \(models.first ?? "logistic") }' to the variant"
            + (models.isEmpty
              ? " (no interest models are registered)" : "; registered: " + models.joined(separator: ", ")))
        ok = false
      }
      if let policy, modelNode == nil || model != nil, rewardNode == nil || reward != nil {
        variants.append(Variant(name: key.text, policy: policy, model: model, weight: weight, reward: reward))
      } else {
        ok = false
      }
    }
    return ok ? variants : nil
  }
}
