/// The feature values of a batch of decisions, laid out as the `FeatureSchema` says: row-major flat arrays,
/// one row per decision for user and context features, one row per (decision, candidate) for ad features,
/// in decision-major order (`row = decision * candidateCount + candidate`).
public struct FeatureBatch: Sendable, Equatable {
  /// Decision rows × `schema.decisionCategorical.count` raw ids.
  public var decisionCategorical: [UInt64] = []
  /// Candidate rows × `schema.candidateCategorical.count` raw ids.
  public var candidateCategorical: [UInt64] = []
  /// Decision rows × `schema.decisionDenseWidth` values.
  public var decisionDense: [Float] = []
  /// Candidate rows × `schema.candidateDenseWidth` values.
  public var candidateDense: [Float] = []
  /// Decision rows × `schema.sequenceWidth` item ids, each sequence most recent first, padded with 0.
  public var sequences: [UInt64] = []
  /// Decision rows × `schema.sequences.count` lengths.
  public var sequenceLengths: [Int32] = []

  public init() {}

  /// The rows of the given decisions, in that order.
  func subset(_ positions: [Int], schema: FeatureSchema, candidates: Int) -> FeatureBatch {
    func rows<T>(_ values: [T], width: Int, perDecision: Int) -> [T] {
      guard width > 0, !values.isEmpty else { return [] }
      var out: [T] = []
      out.reserveCapacity(positions.count * width * perDecision)
      let stride = width * perDecision
      for p in positions { out.append(contentsOf: values[(p * stride)..<((p + 1) * stride)]) }
      return out
    }
    var batch = FeatureBatch()
    batch.decisionCategorical = rows(decisionCategorical, width: schema.decisionCategorical.count, perDecision: 1)
    batch.candidateCategorical = rows(
      candidateCategorical, width: schema.candidateCategorical.count, perDecision: candidates)
    batch.decisionDense = rows(decisionDense, width: schema.decisionDenseWidth, perDecision: 1)
    batch.candidateDense = rows(candidateDense, width: schema.candidateDenseWidth, perDecision: candidates)
    batch.sequences = rows(sequences, width: schema.sequenceWidth, perDecision: 1)
    batch.sequenceLengths = rows(sequenceLengths, width: schema.sequences.count, perDecision: 1)
    return batch
  }
}
