/// series.csv read back: per variant, metric and replication, the values at each step. Reports and
/// exports read bundles' time series through it.
struct SeriesTable {
  /// Variants, metrics and steps (window ends) in file order.
  private(set) var variants: [String] = []
  private(set) var metrics: [String] = []
  private(set) var steps: [Int] = []
  /// variant → metric → replication → value per step (NaN where absent).
  private var values: [String: [String: [Int: [Double]]]] = [:]

  /// Parses the `variant,replication,step,metric,value` rows; malformed rows are skipped.
  init(csv: String) {
    var rows: [(String, String, Int, Int, Double)] = []
    var stepSet = Set<Int>()
    for line in csv.split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",", omittingEmptySubsequences: false)
      guard f.count == 5, let replication = Int(f[1]), let step = Int(f[2]) else { continue }
      let variant = String(f[0]), metric = String(f[3])
      if !variants.contains(variant) { variants.append(variant) }
      if !metrics.contains(metric) { metrics.append(metric) }
      stepSet.insert(step)
      rows.append((variant, metric, replication, step, Double(f[4]) ?? .nan))
    }
    steps = stepSet.sorted()
    let position = Dictionary(uniqueKeysWithValues: steps.enumerated().map { ($1, $0) })
    for (variant, metric, replication, step, value) in rows {
      values[variant, default: [:]][metric, default: [:]][
        replication, default: [Double](repeating: .nan, count: steps.count)][position[step] ?? 0] = value
    }
  }

  func has(_ metric: String) -> Bool { variants.contains { values[$0]?[metric] != nil } }

  /// The replications of `variant`, ascending.
  func replications(_ variant: String) -> [Int] {
    Set((values[variant] ?? [:]).values.flatMap(\.keys)).sorted()
  }

  /// `metric` of one replication at every step (NaN where absent).
  func series(_ variant: String, _ metric: String, _ replication: Int) -> [Double] {
    values[variant]?[metric]?[replication] ?? []
  }

  /// Mean and confidence interval over replications of `metric` for `variant` at every step.
  func band(_ variant: String, _ metric: String, confidence: Double) -> (
    mean: [Double], lower: [Double], upper: [Double]
  ) {
    var mean: [Double] = [], lower: [Double] = [], upper: [Double] = []
    let byReplication = values[variant]?[metric] ?? [:]
    let order = byReplication.keys.sorted()
    for i in steps.indices {
      let sample = order.compactMap { byReplication[$0]?[i] }.filter(\.isFinite)
      guard !sample.isEmpty else {
        mean.append(.nan)
        lower.append(.nan)
        upper.append(.nan)
        continue
      }
      let s = SampleSummary(sample, confidence: confidence)
      mean.append(s.mean)
      lower.append(s.ciLower.isFinite ? s.ciLower : s.mean)
      upper.append(s.ciUpper.isFinite ? s.ciUpper : s.mean)
    }
    return (mean, lower, upper)
  }
}
