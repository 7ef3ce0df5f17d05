import AdLabCore

/// The uniform policy's action distribution is exact: every candidate with probability 1/K in every slot
/// (the marginal of a uniformly random ranking without replacement).
extension RandomPolicy: ActionDistributionPolicy {
  public func actionDistribution(
    _ batch: DecisionBatch, source: [String: String], into distribution: UnsafeMutableBufferPointer<Double>
  ) throws {
    let p = 1 / Double(batch.candidateCount)
    for i in distribution.indices { distribution[i] = p }
  }

  public var reproducesBehavior: String? { "random" }
}
