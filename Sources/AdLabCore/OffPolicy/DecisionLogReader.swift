import Foundation

/// Reads the decision log of a simulated run's bundle (`decisions.csv`, written with `log: decisions`) as logged
/// bandit feedback: one variant's traffic over every replication, with the oracle's expected rewards when the
/// run's environment had one. "What would policy B have earned on policy A's traffic?" then has an exact answer.
public enum DecisionLogReader {
  public static func read(bundle: String, variant: String?, actions: Int?) throws -> LoggedBandit {
    try segment(bundle: bundle, variant: variant, actions: actions).materialize()
  }

  /// The decision log (see `read`) ready to stream.
  public static func segment(bundle: String, variant: String?, actions: Int?) throws -> LoggedSegment {
    let path = "\(bundle)/decisions.csv"
    guard FileManager.default.fileExists(atPath: path) else {
      throw LoggedDataError.missingFile(
        path: path, hint: "run the simulation with 'log: decisions' in its spec, then point 'path' at its bundle")
    }
    var chosen = variant
    if chosen == nil {
      // The first data row's variant: the first variant of the run (rows are in variant order).
      let source = try CSVSource(path: path, label: "decisions.csv")
      let column = try source.column("variant")
      try source.forEachRecord { row throws(LoggedDataError) in
        chosen = row.text(column)
        return false
      }
      guard chosen != nil else { throw LoggedDataError.empty(file: path) }
    }
    let name = chosen ?? ""
    var logs = try LoggedBanditCSV.segment(
      path: path, label: "\((bundle as NSString).lastPathComponent)/decisions.csv", name: "bundle/\(name)",
      actions: actions,
      filter: ["variant": name])
    logs.metadata["dataset"] = "bundle"
    if let digest = try? Manifest.read(bundle: bundle).digest { logs.metadata["bundle_digest"] = digest }
    return logs
  }
}
