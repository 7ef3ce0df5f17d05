/// `sweep.csv`: one row per cell: its index, id, status, swept values, then for every variant and metric
/// the mean and the ends of its confidence interval (`ucb.ctr`, `ucb.ctr.ci_low`, `ucb.ctr.ci_high`).
enum SweepCSV {
  static func render(_ results: SweepResults) -> String {
    let columns = results.columns
    var header = ["cell", "id", "status"] + results.parameters
    for column in columns { header += [column.name, column.name + ".ci_low", column.name + ".ci_high"] }
    var out = header.map(field).joined(separator: ",") + "\n"
    for cell in results.cells {
      var row = [String(cell.index), cell.id, cell.summary == nil ? "missing" : "ok"]
      row += results.parameters.map { key in cell.parameters.first { $0.key == key }?.value.plainText ?? "" }
      for column in columns {
        if let s = results.statistic(cell, column) {
          row += [s.mean, s.ciLower, s.ciUpper].map { $0.isFinite ? JSONValue.format($0) : "" }
        } else {
          row += ["", "", ""]
        }
      }
      out += row.map(field).joined(separator: ",") + "\n"
    }
    return out
  }

  /// A CSV field, quoted when it holds a comma, quote or line break.
  static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
