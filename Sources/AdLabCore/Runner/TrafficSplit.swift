public import AdLabTensor

/// Split-mode assignment of users to variants: a seeded hash of the user id mapped through the
/// cumulative traffic weights, as a live A/B test's bucketing does. A user always lands in the same variant.
public struct TrafficSplit: Sendable {
  public let key: StreamKey
  /// Upper bounds of each variant's share of [0, 1).
  let cumulative: [Double]

  public init(key: StreamKey, weights: [Double]) {
    precondition(!weights.isEmpty && weights.allSatisfy { $0 > 0 && $0.isFinite }, "traffic weights must be positive")
    let total = weights.reduce(0, +)
    var running = 0.0
    var bounds = weights.map { weight -> Double in
      running += weight
      return running / total
    }
    bounds[bounds.count - 1] = 1
    self.key = key
    self.cumulative = bounds
  }

  /// The variant index user `userID` is assigned to.
  public func variant(for userID: UInt64) -> Int {
    let u = CounterRandom.uniform(key: key, userID, 0)
    var index = 0
    while index < cumulative.count - 1, u >= cumulative[index] { index += 1 }
    return index
  }
}
