import AdLabTensor

/// What changed between two result bundles A (before) and B (after): digests, resolved spec, provenance,
/// and every variant's metrics with a test over replications: paired when the bundles are paired by construction
/// (see ``pairingRule``), Welch's otherwise.
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
    /// B − A, and its confidence interval, relative change and p-value over replications; `comparison.method`
    /// says which test (paired t on per-replication values, or Welch on the summaries).
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
  /// nil when A and B are paired by construction (replication i of one shares users and noise with replication i
  /// of the other); else why not, and metrics use Welch's test.
  public var notPairedBecause: String?
  public var paired: Bool { notPairedBecause == nil }

  /// The rule, as `adlab diff` states it: the resolved specs agree on these keys, and both compare in paired mode.
  public static let pairingRule = "same seed, environment, horizon, batch and replications, both in paired mode"
  static let pairingKeys = ["seed", "environment", "horizon", "batch", "replications"]

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
      warnings.append(
        "not comparable: the \(what) differs (\(resolvedA[key]?.compactText ?? "none") → \(resolvedB[key]?.compactText ?? "none")); a change in metrics may come from it"
      )
    }
    let notPairedBecause = Self.whyNotPaired(resolvedA, resolvedB)
    self.notPairedBecause = notPairedBecause
    // Per-replication values only when paired; a variant or metric they do not cover falls back to Welch.
    let valuesA = notPairedBecause == nil ? ReplicationValues(bundle: a) : nil
    let valuesB = notPairedBecause == nil ? ReplicationValues(bundle: b) : nil
    var metrics: [MetricChange] = []
    let variantNames =
      summaryA.variants.map(\.name)
      + summaryB.variants.map(\.name).filter { name in !summaryA.variants.contains { $0.name == name } }
    let confidence = self.confidence
    for variant in variantNames {
      let va = summaryA.variants.first { $0.name == variant }, vb = summaryB.variants.first { $0.name == variant }
      let names =
        (va?.metrics.map(\.name) ?? []) + (vb?.metrics.map(\.name) ?? []).filter { name in va?.statistic(name) == nil }
      for metric in names {
        let sa = va?.statistic(metric), sb = vb?.statistic(metric)
        var comparison: Comparison?
        if let sa, let sb, let x = Self.replications(valuesA, variant, metric, sa),
          let y = Self.replications(valuesB, variant, metric, sb),
          x.count == y.count
        {
          comparison = HypothesisTests.pairedT(control: x, treatment: y, confidence: confidence)
        } else if let sa, let sb {
          comparison = HypothesisTests.welch(
            controlMean: sa.mean, controlSD: sa.standardDeviation, controlCount: sa.count,
            treatmentMean: sb.mean, treatmentSD: sb.standardDeviation, treatmentCount: sb.count, confidence: confidence)
        }
        let significant = (comparison?.pValue).map { $0 < 1 - confidence } ?? false
        metrics.append(
          MetricChange(
            variant: variant, metric: metric, a: sa, b: sb, comparison: comparison, significant: significant,
            higherIsBetter: StoredSummary.higherIsBetter(metric)))
      }
    }
    self.metrics = metrics
  }

  /// Why two resolved specs are not paired by construction, or nil when they are.
  static func whyNotPaired(_ a: JSONValue, _ b: JSONValue) -> String? {
    let differing = pairingKeys.filter { a[$0] != b[$0] }
    if !differing.isEmpty {
      return "the \(differing.joined(separator: ", ")) \(differing.count == 1 ? "differs" : "differ")"
    }
    for (side, spec) in [("A", a), ("B", b)] where spec["comparison"]?["mode"]?.plainText != "paired" {
      return "\(side) is not in paired mode"
    }
    return nil
  }

  /// A variant's per-replication values of `metric`, when series.csv has them and they agree with summary.json
  /// (same count, same mean): otherwise nil, and the metric is compared by Welch's test on the summaries.
  static func replications(
    _ values: ReplicationValues?, _ variant: String, _ metric: String, _ stored: StoredSummary.Statistic
  ) -> [Double]? {
    guard let list = values?.values(variant: variant, metric: metric), list.count == stored.count, list.count >= 2,
      list.allSatisfy(\.isFinite)
    else { return nil }
    let mean = list.reduce(0, +) / Double(list.count)
    guard abs(mean - stored.mean) <= 1e-9 * max(1, abs(stored.mean)) else { return nil }
    return list
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
