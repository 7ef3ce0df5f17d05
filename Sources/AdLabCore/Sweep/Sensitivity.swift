import Foundation

/// How much one metric depends on one swept parameter, over the cells of a sweep.
///
/// Cells are grouped by the parameter's value (numeric parameters with many distinct values, as random
/// sweeps draw them, are grouped into about √n bins of neighbouring values). Then
///
///     η² = Σ_g n_g (ȳ_g − ȳ)² / Σ_i (y_i − ȳ)²
///
/// is the share of the variance across cells explained by the groups (1: the parameter alone decides the
/// metric; 0: no effect), and `spread` = max_g ȳ_g − min_g ȳ_g.
public struct Sensitivity: Sendable {
  /// One value (or bin of values) of the parameter with the metric's mean over its cells.
  public struct Group: Sendable {
    public var label: String
    /// The parameter's value (a bin's centre for binned numeric values); nil for non-numbers.
    public var position: Double?
    public var mean: Double
    public var count: Int
  }

  /// NaN when the metric does not vary across cells.
  public var etaSquared: Double
  public var spread: Double
  /// In the parameter's order (numeric ascending, else first seen).
  public var groups: [Group]

  /// - Parameter points: each finished cell's parameter value and metric mean (non-finite means are ignored).
  public init(_ points: [(parameter: JSONValue, value: Double)]) {
    let points = points.filter { $0.value.isFinite }
    let numbers = points.map { $0.parameter.double.flatMap { $0.isFinite ? $0 : nil } }
    let numeric = !points.isEmpty && numbers.allSatisfy { $0 != nil }
    var keyed: [(key: String, position: Double?, value: Double)] = []
    let distinct = Set(points.map(\.parameter.plainText)).count
    if numeric && distinct > max(4, points.count / 2) {
      let order = points.indices.sorted { (numbers[$0] ?? 0, $0) < (numbers[$1] ?? 0, $1) }
      let bins = max(2, Int(Double(points.count).squareRoot()))
      var members = [[Int]](repeating: [], count: bins)
      for (rank, index) in order.enumerated() { members[rank * bins / order.count].append(index) }
      for indices in members where !indices.isEmpty {
        let low = numbers[indices[0]] ?? 0, high = numbers[indices[indices.count - 1]] ?? 0
        let label = "\(Text.number(low))…\(Text.number(high))"
        for i in indices { keyed.append((label, (low + high) / 2, points[i].value)) }
      }
    } else {
      keyed = points.enumerated().map { i, point in (point.parameter.plainText, numeric ? numbers[i] : nil, point.value)
      }
    }
    var groups: [Group] = []
    var sums: [Double] = []
    for (key, position, value) in keyed {
      if let g = groups.firstIndex(where: { $0.label == key }) {
        groups[g].count += 1
        sums[g] += value
      } else {
        groups.append(Group(label: key, position: position, mean: 0, count: 1))
        sums.append(value)
      }
    }
    for g in groups.indices { groups[g].mean = sums[g] / Double(groups[g].count) }
    if numeric { groups.sort { ($0.position ?? 0) < ($1.position ?? 0) } }
    self.groups = groups
    let values = keyed.map(\.value)
    let grand = values.isEmpty ? Double.nan : values.reduce(0, +) / Double(values.count)
    let total = values.reduce(0) { $0 + ($1 - grand) * ($1 - grand) }
    let between = groups.reduce(0) { $0 + Double($1.count) * ($1.mean - grand) * ($1.mean - grand) }
    etaSquared = total > 1e-300 * Double(max(1, values.count)) ? min(1, between / total) : .nan
    let means = groups.map(\.mean)
    spread = (means.max() ?? .nan) - (means.min() ?? .nan)
  }
}
