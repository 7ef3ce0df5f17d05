import Foundation

/// Each replication's value of a bundle's metrics, rebuilt from series.csv (the per-window rows of one
/// (variant, replication) summed), so `adlab diff` can pair replication i of A with replication i of B.
///
/// Only metrics that the windows determine exactly are rebuilt: window sums (decisions, clicks, reward, regret, …)
/// and their per-decision ratios. Ratios of columns series.csv does not hold (ctr needs impressions) are not,
/// and `values(variant:metric:)` returns nil for them.
struct ReplicationValues: Sendable {
  /// Summary metric names that are the sum of their windows in series.csv.
  static let additive: Set<String> = [
    "decisions", "clicks", "conversions", "revenue", "spend", "profit", "reward", "regret",
  ]
  /// Summary metric names that are a window sum divided by the decisions.
  static let perDecision: [String: String] = ["reward_per_decision": "reward", "regret_per_decision": "regret"]

  /// "variant\u{1F}metric" → per-replication sums, indexed by replication.
  private var sums: [String: [Double]] = [:]

  /// Reads `<bundle>/series.csv`; nil when it is missing or not in the documented shape.
  init?(bundle: String) {
    guard let data = FileManager.default.contents(atPath: "\(bundle)/series.csv") else { return nil }
    let text = String(decoding: data, as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
    guard lines.next() == "variant,replication,step,metric,value" else { return nil }
    let wanted = Self.additive
    while let line = lines.next() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      guard fields.count == 5 else { return nil }
      let metric = String(fields[3])
      guard wanted.contains(metric) else { continue }
      // A replication index past any sane count is a damaged file, not an allocation to make.
      guard let replication = Int(fields[1]), replication >= 0, replication < 1_000_000 else { return nil }
      // An empty value is a non-finite window (written as empty); the replication's sum is then NaN.
      let value = fields[4].isEmpty ? Double.nan : Double(fields[4])
      guard let value else { return nil }
      let key = "\(fields[0])\u{1F}\(metric)"
      var column = sums[key] ?? []
      if column.count <= replication { column += Array(repeating: 0, count: replication + 1 - column.count) }
      column[replication] += value
      sums[key] = column
    }
  }

  /// The per-replication values of `metric` for `variant`, or nil when series.csv does not determine them.
  func values(variant: String, metric: String) -> [Double]? {
    if Self.additive.contains(metric) { return sums["\(variant)\u{1F}\(metric)"] }
    guard let numerator = Self.perDecision[metric], let top = sums["\(variant)\u{1F}\(numerator)"],
      let decisions = sums["\(variant)\u{1F}decisions"], top.count == decisions.count
    else { return nil }
    return zip(top, decisions).map { $1 == 0 ? .nan : $0 / $1 }
  }
}
