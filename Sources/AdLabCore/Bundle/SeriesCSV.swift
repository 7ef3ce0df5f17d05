/// `series.csv`: one row per (variant, replication, window end, metric), the tidy long format that
/// pandas (`pd.read_csv`) and R (`read.csv`) read as is.
enum SeriesCSV {
  static func render(_ result: ExperimentResult) -> String {
    let spec = result.spec
    let columns = Set(result.metrics)
    var out = "variant,replication,step,metric,value\n"
    out.reserveCapacity(result.jobs.count * spec.replications * 64 * 16)
    for (variant, replications) in zip(spec.variants, result.jobs) {
      for (replication, job) in replications.enumerated() {
        var cumulative = MetricTotals()
        for (w, window) in job.windows.enumerated() {
          cumulative += window
          let step = min((w + 1) * spec.reportEvery, spec.horizon)
          var rows: [(String, Double)] = [("decisions", window.decisions)]
          if columns.contains(.clicks) { rows += [("clicks", window.clicks), ("ctr", Metric.ctr.value(window))] }
          if columns.contains(.conversions) { rows.append(("conversions", window.conversions)) }
          if columns.contains(.revenue) { rows.append(("revenue", window.revenue)) }
          if columns.contains(.spend) { rows.append(("spend", window.cost)) }
          if columns.contains(.profit) { rows.append(("profit", Metric.profit.value(window))) }
          if columns.contains(.adsPerUserDay) {
            rows += [("user_days", window.market.userDays), ("ads_per_user_day", Metric.adsPerUserDay.value(window))]
          }
          rows += [("reward", window.reward), ("cumulative_reward", cumulative.reward)]
          if result.hasOracle { rows += [("regret", window.regret), ("cumulative_regret", cumulative.regret)] }
          let prefix = "\(variant.name),\(replication),\(step),"
          for (metric, value) in rows {
            out += prefix + metric + "," + (value.isFinite ? JSONValue.format(value) : "") + "\n"
          }
        }
      }
    }
    return out
  }
}
