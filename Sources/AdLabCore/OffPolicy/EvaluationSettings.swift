/// The `evaluation:` section of a spec: how `adlab run` evaluates each variant's policy off-policy when the
/// environment replays logs (`logged`).
///
/// ```yaml
/// evaluation:
///   estimators: [dm, ipw, snipw, dr, sndr, switch-dr, replay]
///   model: { plugin: logistic, params: { crosses: [item_id*position] } }   # q̂ of DM-type estimators
///   folds: 3          # cross-fitting folds
///   epochs: 3         # passes over the training folds
///   batch: 512        # rounds per model mini-batch
///   bootstrap: 200    # percentile bootstrap resamples (0: no interval)
///   tau: 100          # Switch-DR's weight threshold
/// ```
public struct EvaluationSettings: Sendable {
  public var estimators: [OffPolicyEstimator] = [.dm, .ipw, .snipw, .dr, .sndr, .switchDR]
  public var model: PreparedPlugin<any InterestModel>?
  public var folds = 3
  public var epochs = 3
  public var batch = 512
  public var bootstrap = 200
  public var tau = 100.0

  public static let keys = ["estimators", "model", "folds", "epochs", "batch", "bootstrap", "tau"]

  /// The reward regression, when a model is set.
  public var regression: RewardRegression? {
    model.map { RewardRegression(model: $0, folds: folds, epochs: epochs, batchSize: batch) }
  }

  public var resolvedJSON: JSONValue {
    var entries: [(String, JSONValue)] = [("estimators", .array(estimators.map { .string($0.rawValue) }))]
    if let model {
      entries.append(("model", .object([("plugin", .string(model.name)), ("params", model.parameters)])))
    }
    entries += [
      ("folds", .int(folds)), ("epochs", .int(epochs)), ("batch", .int(batch)), ("bootstrap", .int(bootstrap)),
      ("tau", .number(tau)),
    ]
    return .object(entries)
  }

  /// Decodes the section strictly; the model defaults to `logistic` when an estimator needs one.
  static func decode(_ node: YAMLNode, path: String, registry: PluginRegistry, sink: DiagnosticSink)
    -> EvaluationSettings?
  {
    var settings = EvaluationSettings()
    let before = sink.diagnostics.count
    if !node.isNull {
      guard let reader = MappingReader(node, path: path, sink: sink) else { return nil }
      if let listNode = reader.take("estimators"),
        let names = [String].decode(listNode, path: joinPath(path, "estimators"), sink: sink)
      {
        var chosen: [OffPolicyEstimator] = []
        let known = OffPolicyEstimator.allCases.map(\.rawValue)
        for (i, name) in names.enumerated() {
          guard let estimator = OffPolicyEstimator(rawValue: name) else {
            let mark: SourceMark
            if case .sequence(let sequence) = listNode { mark = sequence.items[i].mark } else { mark = listNode.mark }
            sink.error(
              "unknown estimator '\(name)'", at: mark, path: "\(joinPath(path, "estimators"))[\(i)]",
              suggestion: NameSuggestion.didYouMean(name, in: known) ?? "known estimators: "
                + known.joined(separator: ", "))
            continue
          }
          if !chosen.contains(estimator) { chosen.append(estimator) }
        }
        if names.isEmpty {
          sink.error(
            "name at least one estimator", at: listNode.mark, path: joinPath(path, "estimators"),
            suggestion: "known estimators: " + known.joined(separator: ", "))
        }
        settings.estimators = chosen
      }
      if let modelNode = reader.take("model") {
        settings.model = ExperimentSpec.decodePlugin(
          modelNode, path: joinPath(path, "model"), family: registry.models, sink: sink)
      }
      settings.folds = reader.decode("folds", as: Int.self, .range(2...50)) ?? settings.folds
      settings.epochs = reader.decode("epochs", as: Int.self, .range(1...1000)) ?? settings.epochs
      settings.batch = reader.decode("batch", as: Int.self, .range(1...10_000_000)) ?? settings.batch
      settings.bootstrap = reader.decode("bootstrap", as: Int.self, .range(0...100_000)) ?? settings.bootstrap
      settings.tau = reader.decode("tau", as: Double.self, .greaterThan(0)) ?? settings.tau
      reader.finish(known: keys)
    }
    if settings.model == nil && settings.estimators.contains(where: \.needsModel) {
      settings.model = registry.models.prepare(
        name: "logistic", nameMark: node.mark, params: nil, path: joinPath(path, "model"), sink: sink)
    }
    return sink.diagnostics.count == before ? settings : nil
  }
}
