import Foundation

/// `summary.md`: the result for people, readable on its own (GitHub renders it; so does a terminal).
enum SummaryMarkdown {
  static func render(_ summary: ExperimentSummary, result: ExperimentResult) -> String {
    let spec = result.spec
    let percent = Text.trimmed(summary.confidence * 100)
    var out = "# \(spec.name)\n\n"
    if !spec.description.isEmpty { out += spec.description + "\n\n" }
    let modeText =
      spec.mode == .paired
      ? "paired (every variant sees the same users and outcome noise)"
      : "split traffic ("
        + zip(spec.variants, spec.trafficShares)
        .map { "\($0.name) \(Text.trimmed($1 * 100))%" }.joined(separator: ", ") + ")"
    out +=
      "\(spec.replications) replications × \(Text.grouped(spec.horizon)) decisions, batch \(Text.grouped(spec.batchSize)), "
    out += "\(modeText), seed \(spec.seed), environment `\(spec.environment.name)`, reward `\(spec.reward.name)`"
    let ownRewards = spec.variants.compactMap { v in v.reward.map { "`\(v.name)`: `\($0.name)`" } }
    out += ownRewards.isEmpty ? ". " : " (own rewards: " + ownRewards.joined(separator: ", ") + "). "
    out += "Values are means over replications with \(percent)% t-intervals; the control is `\(spec.control.name)`.\n\n"

    out +=
      "## Variants\n\n| metric | "
      + summary.variants.enumerated().map { i, v in
        "\(v.name) (`\(spec.variants[i].policy.name)`)" + (i == 0 ? ", control" : "")
      }.joined(separator: " | ") + " |\n"
    out += "|---|" + String(repeating: "---|", count: summary.variants.count) + "\n"
    for metric in result.metrics {
      out +=
        "| \(metric.rawValue) | "
        + summary.variants.map { variant in
          guard let s = variant.summary(metric), s.mean.isFinite else { return "n/a" }
          let half = (s.ciUpper - s.ciLower) / 2
          return half.isFinite && half > 0 ? "\(Text.number(s.mean)) ± \(Text.number(half))" : Text.number(s.mean)
        }.joined(separator: " | ") + " |\n"
    }

    let shown = summary.lifts.filter { $0.metric != .decisions && $0.metric != .impressions }
    if !shown.isEmpty {
      let test = spec.mode == .paired ? "paired t-test" : "Welch's t-test"
      out += "\n## Against the control (`\(spec.control.name)`)\n\n"
      out +=
        "\(test) over replications; p-values Holm-adjusted across \(spec.variants.count - 1) treatment(s); significant at α = \(Text.trimmed(spec.alpha)).\n\n"
      out +=
        "| treatment | metric | control | treatment | difference (\(percent)% CI) | lift (\(percent)% CI) | p | p (Holm) | verdict |\n"
      out += "|---|---|---|---|---|---|---|---|---|\n"
      for lift in shown {
        let c = lift.comparison
        let difference = "\(Text.signed(c.difference)) [\(Text.signed(c.ciLower)), \(Text.signed(c.ciUpper))]"
        let relative =
          c.relativeLift.isFinite
          ? "\(Text.signedPercent(c.relativeLift)) [\(Text.signedPercent(c.relativeCILower)), \(Text.signedPercent(c.relativeCIUpper))]"
          : "n/a"
        var verdict = "no significant difference"
        if lift.significant {
          verdict = (c.difference > 0) == lift.metric.higherIsBetter ? "**better**" : "**worse**"
        }
        out +=
          "| \(lift.treatment) | \(lift.metric.rawValue) | \(Text.number(c.controlMean)) | \(Text.number(c.treatmentMean)) | "
        out +=
          "\(difference) | \(relative) | \(Text.pValue(c.pValue)) | \(Text.pValue(lift.adjustedPValue)) | \(verdict) |\n"
      }
    }

    out += adsPerUserDay(result)

    if let srm = summary.sampleRatio {
      out += "\n## Traffic split check\n\n"
      out +=
        "Decisions per variant: "
        + zip(spec.variants, srm.observed).map { "\($0.name) \(Text.grouped($1))" }.joined(separator: ", ")
      out += "; χ² = \(Text.number(srm.chiSquare)) (df \(srm.degreesOfFreedom)), p = \(Text.pValue(srm.pValue)). "
      out +=
        srm.mismatch
        ? "**Sample ratio mismatch** (p < 0.001): the traffic split is not what the weights say; distrust the comparison until the cause is found.\n"
        : "No sample ratio mismatch.\n"
    }
    out +=
      "\nFiles: `series.csv` (per-window values per replication), `summary.json` (all statistics), `resolved.json` (the exact spec), `manifest.json` (provenance and checksums).\n"
    return out
  }
}

/// Number formatting shared by the text outputs; C formatting, so the text is the same on every run.
enum Text {
  static func number(_ x: Double) -> String {
    guard x.isFinite else { return "n/a" }
    if x == 0 { return "0" }
    let magnitude = abs(x)
    if magnitude >= 1e6 || magnitude < 1e-4 { return String(format: "%.3e", x) }
    if magnitude >= 1000 { return String(format: "%.1f", x) }
    return String(format: "%.4g", x)
  }

  static func signed(_ x: Double) -> String {
    guard x.isFinite else { return "n/a" }
    return (x > 0 ? "+" : "") + number(x)
  }

  static func signedPercent(_ x: Double) -> String {
    guard x.isFinite else { return "n/a" }
    return String(format: "%+.2f%%", x * 100)
  }

  static func pValue(_ p: Double) -> String {
    guard p.isFinite else { return "n/a" }
    return p < 1e-4 ? "<0.0001" : String(format: "%.4f", p)
  }

  /// 100000 → "100,000".
  static func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
  }

  /// 95.0 → "95", 2.5 → "2.5".
  static func trimmed(_ x: Double) -> String {
    let text = String(format: "%.4g", x)
    return text
  }
}

extension SummaryMarkdown {
  /// The ads-per-user-day histogram (share of active user-days per bucket, pooled over replications), for
  /// environments that count user-days; empty otherwise.
  static func adsPerUserDay(_ result: ExperimentResult) -> String {
    let pooled = result.jobs.map { jobs in
      jobs.reduce(MarketCounters()) { sum, job in
        var s = sum
        s += job.totals.market
        return s
      }
    }
    guard pooled.contains(where: { $0.userDays > 0 }) else { return "" }
    var out =
      "\n## Ads per user-day\n\nShare of active user-days by the number of ads shown on them, pooled over replications.\n\n"
    out += "| variant | " + MarketCounters.frequencyBucketLabels.joined(separator: " | ") + " |\n"
    out += "|---|" + String(repeating: "---|", count: MarketCounters.frequencyBucketLabels.count) + "\n"
    for (variant, counters) in zip(result.spec.variants, pooled) {
      let total = counters.userDays
      let cells = (0..<MarketCounters.frequencyBucketLabels.count).map { b in
        total > 0 ? Text.trimmed((counters.frequencyHistogram[b] / total * 1000).rounded() / 10) + "%" : "n/a"
      }
      out += "| \(variant.name) | " + cells.joined(separator: " | ") + " |\n"
    }
    return out
  }
}
