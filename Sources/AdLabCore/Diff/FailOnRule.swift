/// `--fail-on METRIC:DIRECTION`: a change that gates a pipeline, e.g. `ctr:decrease` or `ucb.regret:increase`.
public struct FailOnRule: Sendable, Equatable {
  /// The direction of a change that counts as a regression.
  public enum Direction: String, Sendable, CaseIterable {
    case increase, decrease
  }

  /// The metric name, e.g. `ctr`.
  public var metric: String
  /// Only this variant, when the rule was written `variant.metric`.
  public var variant: String?
  public var direction: Direction

  /// Parses `METRIC:DIRECTION` or `VARIANT.METRIC:DIRECTION`; DIRECTION is increase/decrease (or up/down,
  /// higher/lower).
  ///
  /// - Throws: `DiffError.badRule` saying what is wrong.
  public init(parsing text: String) throws(DiffError) {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 2, !parts[0].isEmpty else {
      throw .badRule(text, "expected METRIC:DIRECTION, e.g. ctr:decrease or regret:increase")
    }
    switch parts[1].lowercased() {
    case "increase", "up", "higher": direction = .increase
    case "decrease", "down", "lower": direction = .decrease
    default:
      throw .badRule(text, "the direction '\(parts[1])' is not one of increase, decrease (or up, down, higher, lower)")
    }
    if let dot = parts[0].lastIndex(of: ".") {
      variant = String(parts[0][..<dot])
      metric = String(parts[0][parts[0].index(after: dot)...])
    } else {
      metric = parts[0]
    }
    guard Metric(rawValue: metric) != nil else {
      let suggestion =
        NameSuggestion.didYouMean(metric, in: Metric.allCases.map(\.rawValue)) ?? "metrics: "
        + Metric.allCases.map(\.rawValue).joined(separator: ", ")
      throw .badRule(text, "unknown metric '\(metric)'; \(suggestion)")
    }
  }

  /// Whether `change` is a significant change of this rule's metric in its direction.
  public func fires(on change: BundleDiff.MetricChange) -> Bool {
    guard change.metric == metric, variant == nil || variant == change.variant, change.significant,
      let difference = change.comparison?.difference
    else { return false }
    return direction == .increase ? difference > 0 : difference < 0
  }
}

/// Bad input to `adlab diff`.
public enum DiffError: Error, Equatable, CustomStringConvertible {
  case badRule(String, String)
  case mixedKinds(String, String)

  public var description: String {
    switch self {
    case .badRule(let rule, let why): return "--fail-on '\(rule)': \(why)"
    case .mixedKinds(let a, let b): return "cannot diff \(a) with \(b): give two bundles or two sweep folders"
    }
  }
}
