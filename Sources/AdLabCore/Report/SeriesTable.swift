/// series.csv read back: per variant and metric, each step's values over replications.
struct SeriesTable {
  /// Variants in file order.
  var variants: [String] = []
  /// Steps (window ends) in ascending order.
  var steps: [Int] = []
  /// variant → metric → step → replication → value.
  private var values: [String: [String: [Int: [Int: Double]]]] = [:]

  /// Parses the `variant,replication,step,metric,value` rows; malformed rows are skipped.
  init(csv: String) {
    var steps = Set<Int>()
    for line in csv.split(separator: "\n").dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      guard fields.count == 5, let replication = Int(fields[1]), let step = Int(fields[2]) else { continue }
      let variant = String(fields[0]), metric = String(fields[3])
      let value = Double(fields[4]) ?? .nan
      if values[variant] == nil { variants.append(variant) }
      values[variant, default: [:]][metric, default: [:]][step, default: [:]][replication] = value
      steps.insert(step)
    }
    self.steps = steps.sorted()
  }

  func has(_ metric: String) -> Bool { variants.contains { values[$0]?[metric] != nil } }

  /// Mean and confidence interval over replications of `metric` for `variant` at every step.
  func band(_ variant: String, _ metric: String, confidence: Double) -> (mean: [Double], lower: [Double], upper: [Double]) {
    var mean: [Double] = [], lower: [Double] = [], upper: [Double] = []
    for step in steps {
      let byReplication = values[variant]?[metric]?[step] ?? [:]
      let sample = byReplication.keys.sorted().compactMap { byReplication[$0] }.filter(\.isFinite)
      guard !sample.isEmpty else {
        mean.append(.nan); lower.append(.nan); upper.append(.nan)
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
