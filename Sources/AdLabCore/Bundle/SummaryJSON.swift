/// `summary.json`: every statistic of the summary, for programs.
enum SummaryJSON {
  static func render(_ summary: ExperimentSummary, spec: ExperimentSpec) -> JSONValue {
    func num(_ x: Double) -> JSONValue { .number(x) }
    func sample(_ s: SampleSummary) -> JSONValue {
      .object([
        ("n", .int(s.count)), ("mean", num(s.mean)), ("sd", num(s.standardDeviation)), ("se", num(s.standardError)),
        ("ci", .array([num(s.ciLower), num(s.ciUpper)])),
      ])
    }
    var top: [(String, JSONValue)] = [
      ("experiment", .string(spec.name)),
      ("mode", .string(spec.mode.rawValue)),
      ("replications", .int(spec.replications)),
      ("horizon", .int(spec.horizon)),
      ("confidence", num(summary.confidence)),
      ("control", .string(spec.control.name)),
      (
        "variants",
        .array(
          summary.variants.map { variant in
            .object([
              ("name", .string(variant.name)),
              ("metrics", .object(variant.metrics.map { ($0.metric.rawValue, sample($0.summary)) })),
            ])
          })
      ),
      (
        "comparisons",
        .array(
          summary.lifts.map { lift in
            let c = lift.comparison
            return .object([
              ("treatment", .string(lift.treatment)), ("metric", .string(lift.metric.rawValue)),
              ("control_mean", num(c.controlMean)), ("treatment_mean", num(c.treatmentMean)),
              ("difference", num(c.difference)), ("ci", .array([num(c.ciLower), num(c.ciUpper)])),
              ("relative_lift", num(c.relativeLift)),
              ("relative_ci", .array([num(c.relativeCILower), num(c.relativeCIUpper)])),
              ("test", .string(c.method == .pairedT ? "paired-t" : "welch")), ("statistic", num(c.statistic)),
              ("df", num(c.degreesOfFreedom)), ("p_value", num(c.pValue)), ("p_value_holm", num(lift.adjustedPValue)),
              ("significant", .bool(lift.significant)),
            ])
          })
      ),
    ]
    if let srm = summary.sampleRatio {
      top.append(
        (
          "sample_ratio",
          .object([
            ("observed", .array(srm.observed.map(JSONValue.int))),
            ("expected_shares", .array(srm.expectedShares.map(num))),
            ("chi_square", num(srm.chiSquare)), ("df", .int(srm.degreesOfFreedom)), ("p_value", num(srm.pValue)),
            ("mismatch", .bool(srm.mismatch)),
          ])
        ))
    }
    return .object(top)
  }
}
