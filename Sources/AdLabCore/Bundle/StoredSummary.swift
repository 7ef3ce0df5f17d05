/// summary.json read back: what sweeps, diffs, reports and exports read from a bundle on disk.
public struct StoredSummary: Sendable {
  /// One metric of one variant over replications.
  public struct Statistic: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var standardDeviation: Double
    public var ciLower: Double
    public var ciUpper: Double
  }

  /// One variant's metrics, in report order.
  public struct Variant: Sendable {
    public var name: String
    public var metrics: [(name: String, statistic: Statistic)]
    public func statistic(_ metric: String) -> Statistic? { metrics.first { $0.name == metric }?.statistic }
  }

  /// A treatment against the control on one metric, as summary.json states it.
  public struct Lift: Sendable {
    public var treatment: String
    public var metric: String
    public var difference: Double
    public var ciLower: Double
    public var ciUpper: Double
    public var relativeLift: Double
    public var relativeCILower: Double
    public var relativeCIUpper: Double
    public var pValue: Double
    public var adjustedPValue: Double
    public var significant: Bool
  }

  public var experiment: String
  public var mode: String
  public var replications: Int
  public var horizon: Int
  public var confidence: Double
  public var control: String
  public var variants: [Variant]
  public var lifts: [Lift]

  /// Every metric name in first-seen order over the variants.
  public var metricNames: [String] {
    var names: [String] = []
    for variant in variants { for (name, _) in variant.metrics where !names.contains(name) { names.append(name) } }
    return names
  }

  /// Reads `<bundle>/summary.json`.
  ///
  /// - Throws: `BundleError.notABundle` when it is missing or lacks the expected fields.
  public init(bundle: String) throws(BundleError) {
    try self.init(json: JSONValue.read(path: "\(bundle)/summary.json", what: bundle), bundle: bundle)
  }

  /// Reads a parsed summary.json; `bundle` names it in errors.
  public init(json: JSONValue, bundle: String) throws(BundleError) {
    if json["mode"]?.string == "off-policy" {
      try self.init(offPolicy: json, bundle: bundle)
    } else {
      try self.init(simulation: json, bundle: bundle)
    }
  }

  /// A simulated run's summary.json: per variant, each metric over replications, and the comparisons.
  init(simulation json: JSONValue, bundle: String) throws(BundleError) {
    func bad(_ what: String) -> BundleError { .notABundle(path: bundle, reason: "summary.json: \(what)") }
    guard let variants = json["variants"]?.array else { throw bad("no variants") }
    experiment = json["experiment"]?.string ?? ""
    mode = json["mode"]?.string ?? "paired"
    replications = json["replications"]?.int ?? 0
    horizon = json["horizon"]?.int ?? 0
    confidence = json["confidence"]?.double ?? 0.95
    // The tests behind diffs require a level strictly between 0 and 1; an edited file must not reach them.
    guard confidence > 0 && confidence < 1 else { throw bad("confidence \(confidence) is not between 0 and 1") }
    control = json["control"]?.string ?? ""
    self.variants = try variants.map { (variant: JSONValue) throws(BundleError) -> Variant in
      guard let name = variant["name"]?.string, let metrics = variant["metrics"]?.entries else {
        throw bad("a variant lacks a name or metrics")
      }
      return Variant(
        name: name,
        metrics: metrics.map { metric, value in
          let ci = value["ci"]?.array ?? []
          return (
            metric,
            Statistic(
              count: value["n"]?.int ?? 0, mean: value["mean"]?.double ?? .nan,
              standardDeviation: value["sd"]?.double ?? .nan,
              ciLower: ci.first?.double ?? .nan, ciUpper: ci.last?.double ?? .nan)
          )
        })
    }
    lifts = (json["comparisons"]?.array ?? []).map { c in
      let ci = c["ci"]?.array ?? [], relative = c["relative_ci"]?.array ?? []
      return Lift(
        treatment: c["treatment"]?.string ?? "", metric: c["metric"]?.string ?? "",
        difference: c["difference"]?.double ?? .nan, ciLower: ci.first?.double ?? .nan,
        ciUpper: ci.last?.double ?? .nan,
        relativeLift: c["relative_lift"]?.double ?? .nan, relativeCILower: relative.first?.double ?? .nan,
        relativeCIUpper: relative.last?.double ?? .nan, pValue: c["p_value"]?.double ?? .nan,
        adjustedPValue: c["p_value_holm"]?.double ?? .nan, significant: c["significant"]?.bool ?? false)
    }
  }

  /// An off-policy evaluation's summary.json: each variant's metrics are its estimates, named by estimator (by
  /// "segment:estimator" when there are several segments), with the SE as `sd`, the bootstrap interval as `ci` and
  /// the segment's rounds as `n`; there are no replications and no comparisons.
  init(offPolicy json: JSONValue, bundle: String) throws(BundleError) {
    guard let segments = json["segments"]?.array else {
      throw .notABundle(path: bundle, reason: "summary.json: no segments")
    }
    experiment = json["experiment"]?.string ?? ""
    mode = "off-policy"
    replications = 0
    horizon = 0
    confidence = 1 - (json["alpha"]?.double ?? 0.05)
    guard confidence > 0 && confidence < 1 else {
      throw .notABundle(path: bundle, reason: "summary.json: alpha outside (0, 1)")
    }
    var variants: [Variant] = []
    for segment in segments {
      let prefix = segments.count == 1 ? "" : (segment["name"]?.string ?? "") + ":"
      for variant in segment["variants"]?.array ?? [] {
        let name = variant["variant"]?.string ?? ""
        let metrics = (variant["estimates"]?.array ?? []).map { e in
          (
            name: prefix + (e["estimator"]?.string ?? ""),
            statistic: Statistic(
              count: segment["rounds"]?.int ?? 0, mean: e["value"]?.double ?? .nan,
              standardDeviation: e["se"]?.double ?? .nan,
              ciLower: e["ci_lower"]?.double ?? .nan, ciUpper: e["ci_upper"]?.double ?? .nan)
          )
        }
        if let index = variants.firstIndex(where: { $0.name == name }) {
          variants[index].metrics += metrics
        } else {
          variants.append(Variant(name: name, metrics: metrics))
        }
      }
    }
    self.variants = variants
    control = variants.first?.name ?? ""
    lifts = []
  }

  /// Whether more of `metric` is better (unknown names count as "more is better").
  public static func higherIsBetter(_ metric: String) -> Bool {
    Metric(rawValue: metric)?.higherIsBetter ?? true
  }
}
