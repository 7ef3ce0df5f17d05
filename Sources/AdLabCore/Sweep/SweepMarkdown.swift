/// `sweep.md`: the sweep for people: its cells, the best cells per metric, and how sensitive each metric
/// is to each parameter.
enum SweepMarkdown {
  /// Metrics that only count traffic; ranking cells by them says nothing.
  static let countingMetrics: Set<String> = ["decisions", "impressions"]

  static func render(_ results: SweepResults) -> String {
    var out = "# \(results.name): sweep\n\n"
    let finished = results.cells.count - results.missing.count
    out += "\(results.kind.isEmpty ? "A" : "A \(results.kind)") sweep over "
    out += results.parameters.map { "`\($0)`" }.joined(separator: ", ")
    out += ": \(results.cells.count) cells, \(finished) finished"
    out += results.missing.isEmpty ? ".\n\n" : "; **\(results.missing.count) missing** (listed at the end).\n\n"
    out +=
      "Files: `sweep.csv` (every cell: parameters and every metric with its CI), `cells/<id>/` (one result bundle per cell), `report.html` (plots).\n"

    let columns = results.columns.filter { !countingMetrics.contains($0.metric) }
    let metrics = columns.reduce(into: [String]()) { if !$0.contains($1.metric) { $0.append($1.metric) } }
    if !metrics.isEmpty {
      out +=
        "\n## Best cells per metric\n\nMean over replications [CI]; the best three (cell, variant) pairs in the metric's better direction.\n\n"
      out += "| metric | best | second | third |\n|---|---|---|---|\n"
      for metric in metrics {
        let higher = StoredSummary.higherIsBetter(metric)
        var entries: [(text: String, mean: Double, order: Int, key: String)] = []
        for cell in results.cells {
          for column in columns where column.metric == metric {
            guard let s = results.statistic(cell, column), s.mean.isFinite else { continue }
            let text =
              "`\(column.variant)` @ \(cell.label): \(Text.number(s.mean)) [\(Text.number(s.ciLower)), \(Text.number(s.ciUpper))]"
            entries.append((text, s.mean, entries.count, "\(column.variant) \(s.mean) \(s.ciLower) \(s.ciUpper)"))
          }
        }
        entries.sort { a, b in a.mean != b.mean ? (higher ? a.mean > b.mean : a.mean < b.mean) : a.order < b.order }
        // Cells where a variant's result is the same (its own parameters equal, others varied) count once.
        var distinct: [(text: String, key: String, alike: Int)] = []
        for entry in entries {
          if let i = distinct.firstIndex(where: { $0.key == entry.key }) {
            distinct[i].alike += 1
          } else {
            distinct.append((entry.text, entry.key, 0))
          }
        }
        let top =
          distinct.prefix(3).map { $0.text + ($0.alike > 0 ? " (+\($0.alike) cells alike)" : "") }
          + Array(repeating: "", count: max(0, 3 - distinct.count))
        out += "| \(metric)\(higher ? " ↑" : " ↓") | " + top.joined(separator: " | ") + " |\n"
      }

      out += "\n## Sensitivity\n\n"
      out +=
        "η²: the share of the variance of the metric across cells explained by the parameter's value (1: it alone decides the metric, 0: no effect); "
      out +=
        "spread: the largest minus the smallest mean over the parameter's values (averaged over the other parameters).\n\n"
      out += "| variant · metric | " + results.parameters.map { "`\($0)`" }.joined(separator: " | ") + " |\n"
      out += "|---|" + String(repeating: "---|", count: results.parameters.count) + "\n"
      for column in columns {
        let row = results.parameters.map { key -> String in
          let sensitivity = sensitivity(results, column: column, parameter: key)
          guard sensitivity.etaSquared.isFinite else { return "—" }
          return "η² \(String(format: "%.2f", sensitivity.etaSquared)) (spread \(Text.number(sensitivity.spread)))"
        }
        out += "| \(column.variant) · \(column.metric) | " + row.joined(separator: " | ") + " |\n"
      }
    }
    if !results.missing.isEmpty {
      out += "\n## Missing cells\n\nNo complete bundle yet (failed, not run, or in a shard not merged):\n\n"
      for cell in results.missing { out += "- cell \(cell.index) `\(cell.id)`: \(cell.label)\n" }
    }
    return out
  }

  /// The sensitivity of one column to one parameter over the finished cells.
  static func sensitivity(_ results: SweepResults, column: SweepResults.Column, parameter: String) -> Sensitivity {
    Sensitivity(
      results.cells.compactMap { cell in
        guard let s = results.statistic(cell, column),
          let value = cell.parameters.first(where: { $0.key == parameter })?.value
        else { return nil }
        return (value, s.mean)
      })
  }
}
