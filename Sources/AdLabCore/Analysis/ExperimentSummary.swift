/// The statistics of a run: each variant's metrics over replications, and each treatment against the control.
public struct ExperimentSummary: Sendable {
  /// One variant's metric over replications.
  public struct VariantMetric: Sendable {
    public var metric: Metric
    public var summary: SampleSummary
  }

  /// One variant's metrics.
  public struct VariantSummary: Sendable {
    public var name: String
    public var metrics: [VariantMetric]
    public func summary(_ metric: Metric) -> SampleSummary? { metrics.first { $0.metric == metric }?.summary }
  }

  /// A treatment's difference from the control on one metric.
  public struct Lift: Sendable {
    public var treatment: String
    public var metric: Metric
    public var comparison: Comparison
    /// Holm-adjusted p-value over the treatments, per metric (equal to the raw p-value with one treatment).
    public var adjustedPValue: Double
    public var significant: Bool
  }

  /// Sample-ratio-mismatch check of split traffic: observed decisions per variant against the weights.
  public struct SampleRatioCheck: Sendable {
    public var observed: [Int]
    public var expectedShares: [Double]
    public var chiSquare: Double
    public var degreesOfFreedom: Int
    public var pValue: Double
    /// Flagged at p < 0.001, the usual threshold for SRM alarms.
    public var mismatch: Bool { pValue < 0.001 }
  }

  public var variants: [VariantSummary]
  public var lifts: [Lift]
  public var sampleRatio: SampleRatioCheck?
  public var confidence: Double

  /// Computes every statistic from per-replication totals, in a fixed order.
  public init(_ result: ExperimentResult) {
    let spec = result.spec
    let confidence = 1 - spec.alpha
    self.confidence = confidence
    let values: [[[Double]]] = result.jobs.map { replications in
      result.metrics.map { metric in replications.map { metric.value($0.totals) } }
    }
    variants = zip(spec.variants, values).map { variant, perMetric in
      VariantSummary(
        name: variant.name,
        metrics: zip(result.metrics, perMetric).map {
          VariantMetric(metric: $0, summary: SampleSummary($1, confidence: confidence))
        })
    }

    var lifts: [Lift] = []
    for (m, metric) in result.metrics.enumerated() {
      let control = values[0][m]
      let raw = (1..<spec.variants.count).map { v -> Comparison in
        spec.mode == .paired
          ? HypothesisTests.pairedT(control: control, treatment: values[v][m], confidence: confidence)
          : HypothesisTests.welch(control: control, treatment: values[v][m], confidence: confidence)
      }
      let adjusted = HypothesisTests.holm(raw.map(\.pValue))
      for (offset, comparison) in raw.enumerated() {
        lifts.append(
          Lift(
            treatment: spec.variants[offset + 1].name, metric: metric, comparison: comparison,
            adjustedPValue: adjusted[offset], significant: adjusted[offset] < spec.alpha))
      }
    }
    self.lifts = lifts

    if spec.mode == .split, spec.variants.count > 1 {
      let observed = result.jobs.map { $0.reduce(0) { $0 + Int($1.totals.decisions) } }
      let weights = spec.variants.map(\.weight)
      let test = HypothesisTests.sampleRatioMismatch(observed: observed, expectedWeights: weights)
      let total = weights.reduce(0, +)
      sampleRatio = SampleRatioCheck(
        observed: observed, expectedShares: weights.map { $0 / total }, chiSquare: test.chiSquare,
        degreesOfFreedom: test.degreesOfFreedom, pValue: test.pValue)
    }
  }
}
