import AdLabTensor

/// What changed between two result bundles A (before) and B (after): digests, resolved spec, provenance,
/// and every variant's metrics with a Welch test over replications.
public struct BundleDiff: Sendable {
  /// A changed field: a resolved-spec key path or a provenance field. nil when absent on that side.
  public struct Change: Sendable, Equatable {
    public var path: String
    public var old: String?
    public var new: String?
  }

  /// One variant's metric in A and in B.
  public struct MetricChange: Sendable {
    public var variant: String
    public var metric: String
    public var a: StoredSummary.Statistic?
    public var b: StoredSummary.Statistic?
    /// B − A, and its confidence interval, relative change and p-value from Welch's test over replications.
    public var comparison: Comparison?
    public var significant: Bool
    public var higherIsBetter: Bool

    /// True when B differs from A in value (NaN-aware).
    public var changed: Bool {
      guard let a, let b else { return true }
      func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
      return !same(a.mean, b.mean) || !same(a.standardDeviation, b.standardDeviation)
    }

    /// A significant change in the worse direction.
    public var isRegression: Bool {
      guard significant, let difference = comparison?.difference else { return false }
      return higherIsBetter ? difference < 0 : difference > 0
    }
  }

  public var a: String
  public var b: String
  public var digestA: String
  public var digestB: String
  public var identical: Bool { digestA == digestB }
  public var specChanges: [Change]
  public var provenanceChanges: [Change]
  public var metrics: [MetricChange]
  /// Why the two may not be comparable (different environment, reward or horizon).
  public var warnings: [String]
  /// Confidence level of the change intervals (B's).
  public var confidence: Double

  static let provenanceFields = ["adlab_version", "source_revision", "swift_version", "os", "cpu", "kernels"]

  /// Compares the bundles at `a` and `b`.
  ///
  /// - Throws: `BundleError.notABundle` when either lacks its manifest, resolved.json or summary.json.
  public init(a: String, b: String) throws(BundleError) {
    let manifestA = try Manifest.read(bundle: a), manifestB = try Manifest.read(bundle: b)
    let resolvedA = try JSONValue.read(path: "\(a)/resolved.json", what: a)
    let resolvedB = try JSONValue.read(path: "\(b)/resolved.json", what: b)
    let summaryA = try StoredSummary(bundle: a), summaryB = try StoredSummary(bundle: b)
    self.a = a
    self.b = b
    digestA = manifestA.digest
    digestB = manifestB.digest
    confidence = summaryB.confidence
    specChanges = Self.changes(resolvedA.flattened, resolvedB.flattened)
    provenanceChanges = Self.provenanceFields.compactMap { field in
      var old = manifestA.json[field]?.plainText, new = manifestB.json[field]?.plainText
      if field == "kernels" {
        // Bundles from before kernel classes existed were computed by the portable kernels.
        old = old ?? KernelClass.portable.rawValue
        new = new ?? KernelClass.portable.rawValue
      }
      return old == new ? nil : Change(path: field, old: old, new: new)
    }
    warnings = []
    for (key, what) in [("environment", "environment"), ("reward", "reward"), ("horizon", "horizon")]
    where resolvedA[key] != resolvedB[key] {
      warnings.append("not comparable: the \(what) differs (\(resolvedA[key]?.compactText ?? "none") → \(resolvedB[key]?.compactText ?? "none")); a change in metrics may come from it")
    }
    var metrics: [MetricChange] = []
    let variantNames = summaryA.variants.map(\.name) + summaryB.variants.map(\.name).filter { name in !summaryA.variants.contains { $0.name == name } }
    let confidence = self.confidence
    for variant in variantNames {
      let va = summaryA.variants.first { $0.name == variant }, vb = summaryB.variants.first { $0.name == variant }
      let names = (va?.metrics.map(\.name) ?? []) + (vb?.metrics.map(\.name) ?? []).filter { name in va?.statistic(name) == nil }
      for metric in names {
        let sa = va?.statistic(metric), sb = vb?.statistic(metric)
        var comparison: Comparison?
        if let sa, let sb {
          comparison = HypothesisTests.welch(
            controlMean: sa.mean, controlSD: sa.standardDeviation, controlCount: sa.count,
            treatmentMean: sb.mean, treatmentSD: sb.standardDeviation, treatmentCount: sb.count, confidence: confidence)
        }
        let significant = (comparison?.pValue).map { $0 < 1 - confidence } ?? false
        metrics.append(MetricChange(
          variant: variant, metric: metric, a: sa, b: sb, comparison: comparison, significant: significant,
          higherIsBetter: StoredSummary.higherIsBetter(metric)))
      }
    }
    self.metrics = metrics
  }

  /// Leaf-by-leaf changes between two flattened JSON documents, in A's order then B's new paths.
  static func changes(_ a: [(path: String, value: JSONValue)], _ b: [(path: String, value: JSONValue)]) -> [Change] {
    var out: [Change] = []
    for (path, value) in a {
      let other = b.first { $0.path == path }?.value
      if other != value { out.append(Change(path: path, old: value.compactText, new: other?.compactText)) }
    }
    for (path, value) in b where !a.contains(where: { $0.path == path }) {
      out.append(Change(path: path, old: nil, new: value.compactText))
    }
    return out
  }
}
