/// A bundle's report.html, rendered from the bundle's own files (summary.json, series.csv, resolved.json),
/// so `adlab report` on a bundle on disk gives the same bytes the run wrote. No timestamps.
public enum BundleReport {
  /// Renders the report of the bundle at `bundle`.
  ///
  /// - Throws: `BundleError.notABundle` when summary.json, series.csv or resolved.json is unreadable.
  public static func render(bundle: String) throws(BundleError) -> String {
    let summary = try JSONValue.read(path: "\(bundle)/summary.json", what: bundle)
    let resolved = try JSONValue.read(path: "\(bundle)/resolved.json", what: bundle)
    guard let series = try? String(contentsOfFile: "\(bundle)/series.csv", encoding: .utf8) else {
      throw .notABundle(path: bundle, reason: "series.csv is missing or unreadable")
    }
    return try render(summary: summary, series: series, resolved: resolved, bundle: bundle)
  }

  /// Renders from the files' contents; `bundle` names the bundle in errors.
  static func render(summary json: JSONValue, series csv: String, resolved: JSONValue, bundle: String)
    throws(BundleError) -> String
  {
    let summary = try StoredSummary(json: json, bundle: bundle)
    let series = SeriesTable(csv: csv)
    let percent = Text.trimmed(summary.confidence * 100)
    let colors = Dictionary(
      uniqueKeysWithValues: summary.variants.enumerated().map { ($1.name, SVGPlot.palette[$0 % SVGPlot.palette.count]) }
    )
    var body = "<h1>\(HTML.escape(summary.experiment))</h1>\n"
    if let description = resolved["description"]?.string, !description.isEmpty {
      body += "<p>\(HTML.escape(description))</p>\n"
    }
    let environment = resolved["environment"]?["plugin"]?.plainText ?? "?"
    body +=
      "<p class=\"note\">\(summary.replications) replications × \(Text.grouped(summary.horizon)) decisions, \(HTML.escape(summary.mode)) mode, "
    body += "environment <code>\(HTML.escape(environment))</code>, seed \(resolved["seed"]?.plainText ?? "?"). "
    body +=
      "Lines are means over replications; bands and whiskers are \(percent)% t-intervals. Control: <code>\(HTML.escape(summary.control))</code>.</p>\n"

    for (metric, title) in [("cumulative_reward", "Cumulative reward"), ("cumulative_regret", "Cumulative regret")]
    where series.has(metric) {
      body += "<h2>\(title) over time</h2>\n" + HTML.legend(series.variants)
      body += timePlot(
        series, metric: metric, title: title.lowercased(), colors: colors, confidence: summary.confidence)
    }

    let lifts = summary.lifts.filter { !SweepMarkdown.countingMetrics.contains($0.metric) }
    if !lifts.isEmpty {
      body +=
        "<h2>Lift against the control</h2>\n<p class=\"note\">Relative difference of each treatment from <code>\(HTML.escape(summary.control))</code> with its \(percent)% interval; in colour when significant after Holm's correction, grey otherwise.</p>\n"
      body += forestPlot(lifts, colors: colors)
    }

    body += "<h2>Metrics</h2>\n"
    let metrics = summary.metricNames
    body += HTML.table(
      ["metric"] + summary.variants.map(\.name),
      metrics.map { metric in
        [HTML.escape(metric)]
          + summary.variants.map { variant in
            guard let s = variant.statistic(metric), s.mean.isFinite else { return "n/a" }
            let half = (s.ciUpper - s.ciLower) / 2
            return half.isFinite && half > 0 ? "\(Text.number(s.mean)) ± \(Text.number(half))" : Text.number(s.mean)
          }
      })
    if !lifts.isEmpty {
      body += HTML.table(
        ["treatment", "metric", "difference", "lift (\(percent)% CI)", "p (Holm)", "verdict"],
        lifts.map { lift in
          let verdict =
            lift.significant
            ? ((lift.difference > 0) == StoredSummary.higherIsBetter(lift.metric)
              ? "<span class=\"better\">better</span>" : "<span class=\"worse\">worse</span>")
            : "no significant difference"
          return [
            HTML.escape(lift.treatment), HTML.escape(lift.metric), Text.signed(lift.difference),
            lift.relativeLift.isFinite
              ? "\(Text.signedPercent(lift.relativeLift)) [\(Text.signedPercent(lift.relativeCILower)), \(Text.signedPercent(lift.relativeCIUpper))]"
              : "n/a",
            Text.pValue(lift.adjustedPValue), verdict,
          ]
        })
    }
    // Model calibration goes here once interest models run in experiments (no model ran in this one).
    return HTML.page(title: "\(summary.experiment): AdLab report", body: body)
  }

  static func timePlot(
    _ series: SeriesTable, metric: String, title: String, colors: [String: String], confidence: Double
  ) -> String {
    let x = series.steps.map(Double.init)
    let bands = series.variants.map { series.band($0, metric, confidence: confidence) }
    let ys = bands.flatMap { $0.lower + $0.upper }.filter(\.isFinite)
    var plot = SVGPlot(x: 0...(x.last ?? 1), y: min(0, ys.min() ?? 0)...(ys.max() ?? 1))
    plot.axes(xTitle: "decisions", yTitle: title, xFormat: { Text.grouped(Int($0.rounded())) })
    for (variant, band) in zip(series.variants, bands) {
      let color = colors[variant] ?? SVGPlot.palette[0]
      plot.band(x, lower: band.lower, upper: band.upper, color: color, series: variant)
      plot.line(Array(zip(x, band.mean)), color: color, series: variant)
    }
    return plot.svg
  }

  static func forestPlot(_ lifts: [StoredSummary.Lift], colors: [String: String]) -> String {
    let values = lifts.flatMap { [$0.relativeCILower, $0.relativeCIUpper, $0.relativeLift] }.filter(\.isFinite)
    let rowHeight = 22.0
    // Room for the longest "treatment · metric" label at about 7 px per character of the 11 px tick font.
    let longest = lifts.map { "\($0.treatment) · \($0.metric)".count }.max() ?? 20
    var plot = SVGPlot(
      width: 640 + max(0, Double(longest) * 7 + 16 - 200), height: 56 + rowHeight * Double(lifts.count),
      left: max(200, Double(longest) * 7 + 16), x: min(0, values.min() ?? -0.1)...max(0, values.max() ?? 0.1),
      y: 0...Double(lifts.count))
    plot.xRange = SVGPlot.widened(plot.xRange, pad: 0.05)
    plot.yRange = 0...Double(lifts.count)
    plot.axes(xTitle: "relative lift", yTitle: "", xFormat: { Text.signedPercent($0) }, yFormat: { _ in "" })
    plot.verticalRule(at: 0)
    for (row, lift) in lifts.enumerated() {
      let y = Double(lifts.count - row) - 0.5
      let color = colors[lift.treatment] ?? SVGPlot.palette[1]
      plot.raw(
        "<text class=\"tick\" x=\"\(SVGPlot.f(plot.left - 8))\" y=\"\(SVGPlot.f(plot.py(y)))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(HTML.escape("\(lift.treatment) · \(lift.metric)"))</text>\n"
      )
      let tip =
        "\(lift.treatment) \(lift.metric): \(Text.signedPercent(lift.relativeLift)) [\(Text.signedPercent(lift.relativeCILower)), \(Text.signedPercent(lift.relativeCIUpper))], p (Holm) \(Text.pValue(lift.adjustedPValue))"
      plot.interval(
        at: lift.relativeLift, y, from: lift.relativeCILower, to: lift.relativeCIUpper, horizontal: true,
        color: lift.significant ? color : "#999", series: lift.treatment, tip: tip)
    }
    return plot.svg
  }
}
