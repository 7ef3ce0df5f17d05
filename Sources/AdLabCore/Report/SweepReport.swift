import Foundation

/// A sweep's report.html: each key metric against each swept parameter per variant, a heat map over
/// the first two parameters, and a table of the cells. Rendered from sweep.json and the cells' summaries.
public enum SweepReport {
  /// Renders the report of the sweep folder at `folder`.
  ///
  /// - Throws: `BundleError.notABundle` when the folder has no readable sweep.json.
  public static func render(folder: String) throws(BundleError) -> String {
    render(try SweepResults(folder: folder))
  }

  /// The metrics plotted, most telling first; the others are in sweep.csv.
  static let preferred = ["reward_per_decision", "regret_per_decision", "ctr", "cvr", "roi"]

  static func render(_ results: SweepResults) -> String {
    let finished = results.cells.filter { $0.summary != nil }
    var body = "<h1>\(HTML.escape(results.name)): sweep</h1>\n"
    body +=
      "<p class=\"note\">\(HTML.escape(results.kind)) sweep over "
      + results.parameters.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", ")
    body += ": \(results.cells.count) cells, \(finished.count) finished. Values are means over replications; "
    body += "where other parameters vary too, each point averages the cells that share the value.</p>\n"
    let columns = results.columns
    let variants = columns.reduce(into: [String]()) { if !$0.contains($1.variant) { $0.append($1.variant) } }
    let available = Set(columns.map(\.metric))
    var metrics = preferred.filter(available.contains)
    if metrics.isEmpty, let first = columns.first(where: { !SweepMarkdown.countingMetrics.contains($0.metric) }) {
      metrics = [first.metric]
    }

    for metric in metrics {
      body += "<h2>\(HTML.escape(metric)) by parameter</h2>\n" + HTML.legend(variants)
      for parameter in results.parameters {
        body += "<h3><code>\(HTML.escape(parameter))</code></h3>\n"
        body += parameterPlot(results, metric: metric, parameter: parameter, variants: variants)
      }
      if results.parameters.count >= 2 {
        for variant in variants where columns.contains(SweepResults.Column(variant: variant, metric: metric)) {
          body += "<h3>Heat map: \(HTML.escape(variant)) · \(HTML.escape(metric))</h3>\n"
          body += heatMap(results, column: SweepResults.Column(variant: variant, metric: metric))
        }
      }
    }

    body += "<h2>Cells</h2>\n"
    let shown = columns.filter { metrics.contains($0.metric) }
    body += HTML.table(
      ["cell", "id"] + results.parameters.map { $0.split(separator: ".").last.map(String.init) ?? $0 }
        + shown.map(\.name),
      results.cells.map { cell in
        [String(cell.index), "<code>\(cell.id)</code>"]
          + results.parameters.map { key in HTML.escape(cell.parameters.first { $0.key == key }?.value.plainText ?? "")
          }
          + shown.map { column in
            guard let s = results.statistic(cell, column) else { return cell.summary == nil ? "missing" : "n/a" }
            return "\(Text.number(s.mean)) [\(Text.number(s.ciLower)), \(Text.number(s.ciUpper))]"
          }
      })
    return HTML.page(title: "\(results.name): AdLab sweep report", body: body)
  }

  static func parameterPlot(_ results: SweepResults, metric: String, parameter: String, variants: [String]) -> String {
    let groups = variants.map {
      SweepMarkdown.sensitivity(results, column: SweepResults.Column(variant: $0, metric: metric), parameter: parameter)
        .groups
    }
    let numeric = groups.allSatisfy { $0.allSatisfy { $0.position != nil } }
    let labels = groups.flatMap { $0.map(\.label) }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    let xs = numeric ? groups.flatMap { $0.compactMap(\.position) } : labels.indices.map(Double.init)
    let ys = groups.flatMap { $0.map(\.mean) }.filter(\.isFinite)
    guard !xs.isEmpty, !ys.isEmpty else { return "<p class=\"note\">No finished cells.</p>\n" }
    var plot = SVGPlot(height: 260, x: (xs.min() ?? 0)...(xs.max() ?? 1), y: (ys.min() ?? 0)...(ys.max() ?? 1))
    plot.xRange = SVGPlot.widened(plot.xRange, pad: 0.05)
    plot.axes(xTitle: parameter, yTitle: metric, xLabels: numeric ? nil : labels)
    for (v, variant) in variants.enumerated() {
      let color = SVGPlot.palette[v % SVGPlot.palette.count]
      let points = groups[v].map { group in
        (numeric ? group.position ?? 0 : Double(labels.firstIndex(of: group.label) ?? 0), group.mean)
      }
      plot.line(points, color: color, series: variant)
      for (group, point) in zip(groups[v], points) {
        plot.interval(
          at: point.0, point.1, from: .nan, to: .nan, horizontal: false, color: color, series: variant,
          tip: "\(variant) at \(parameter)=\(group.label): \(Text.number(group.mean)) (\(group.count) cells)")
      }
    }
    return plot.svg
  }

  /// Mean of `column` over the cells sharing each pair of values of the first two parameters.
  static func heatMap(_ results: SweepResults, column: SweepResults.Column) -> String {
    let (p, q) = (results.parameters[0], results.parameters[1])
    func value(_ cell: SweepResults.Cell, _ key: String) -> String {
      cell.parameters.first { $0.key == key }?.value.plainText ?? ""
    }
    func ordered(_ key: String) -> [String] {
      let values = results.cells.map { value($0, key) }.reduce(into: [String]()) {
        if !$0.contains($1) { $0.append($1) }
      }
      return values.allSatisfy({ Double($0) != nil }) ? values.sorted { Double($0) ?? 0 < Double($1) ?? 0 } : values
    }
    let rows = ordered(q), cols = ordered(p)
    guard rows.count <= 40, cols.count <= 40 else {
      return "<p class=\"note\">Too many distinct values for a heat map; see the plots above.</p>\n"
    }
    var sums = [[Double]](repeating: [Double](repeating: 0, count: cols.count), count: rows.count)
    var counts = sums
    for cell in results.cells {
      guard let s = results.statistic(cell, column), s.mean.isFinite,
        let r = rows.firstIndex(of: value(cell, q)), let c = cols.firstIndex(of: value(cell, p))
      else { continue }
      sums[r][c] += s.mean
      counts[r][c] += 1
    }
    let means = zip(sums, counts).map { zip($0, $1).map { $1 > 0 ? $0 / $1 : Double.nan } }
    let finite = means.flatMap { $0 }.filter(\.isFinite)
    let low = finite.min() ?? 0, high = finite.max() ?? 1
    let better = StoredSummary.higherIsBetter(column.metric)
    let cellW = 64.0, cellH = 26.0, left = 90.0, top = 10.0
    let width = max(520, left + cellW * Double(cols.count) + 10), height = top + cellH * Double(rows.count) + 44
    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(SVGPlot.f(width)) \(SVGPlot.f(height))\" width=\"\(SVGPlot.f(width))\" height=\"\(SVGPlot.f(height))\" role=\"img\">\n"
    for (r, row) in means.enumerated() {
      let y = top + cellH * Double(rows.count - 1 - r)
      svg +=
        "<text class=\"tick\" x=\"\(SVGPlot.f(left - 6))\" y=\"\(SVGPlot.f(y + cellH / 2))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(HTML.escape(rows[r]))</text>\n"
      for (c, mean) in row.enumerated() {
        let x = left + cellW * Double(c)
        let t = high > low ? (mean - low) / (high - low) : 0.5
        let goodness = better ? t : 1 - t
        let fill = mean.isFinite ? String(format: "hsl(%.0f,70%%,%.0f%%)", 120 * goodness, 88 - 30 * goodness) : "#eee"
        svg += "<g><title>\(HTML.escape("\(p)=\(cols[c]), \(q)=\(rows[r]): \(Text.number(mean))"))</title>"
        svg +=
          "<rect x=\"\(SVGPlot.f(x))\" y=\"\(SVGPlot.f(y))\" width=\"\(SVGPlot.f(cellW - 1))\" height=\"\(SVGPlot.f(cellH - 1))\" fill=\"\(fill)\"/>"
        svg +=
          "<text class=\"tick\" x=\"\(SVGPlot.f(x + cellW / 2))\" y=\"\(SVGPlot.f(y + cellH / 2))\" text-anchor=\"middle\" dominant-baseline=\"middle\">\(HTML.escape(Text.number(mean)))</text></g>\n"
      }
    }
    let axisY = top + cellH * Double(rows.count)
    for (c, label) in cols.enumerated() {
      svg +=
        "<text class=\"tick\" x=\"\(SVGPlot.f(left + cellW * (Double(c) + 0.5)))\" y=\"\(SVGPlot.f(axisY + 14))\" text-anchor=\"middle\">\(HTML.escape(label))</text>\n"
    }
    svg +=
      "<text class=\"title\" x=\"\(SVGPlot.f(left))\" y=\"\(SVGPlot.f(axisY + 34))\">columns: \(HTML.escape(p)) (rows: \(HTML.escape(q)))</text>\n"
    return svg + "</svg>\n"
  }
}
