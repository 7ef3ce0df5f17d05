public import AdLabTensor

/// Impressions logged by a uniform-random policy in an environment: each example is one decision reduced to
/// the ad that was shown (a batch with one candidate), its click and conversion, and, when the environment has
/// an oracle, the true click (and conversion-given-click) probability of that impression.
public struct LoggedDataset: Sendable {
  /// Every example as one decision with its shown ad as the only candidate.
  public var batch: DecisionBatch
  public var clicks: [Double]
  public var conversions: [Double]
  /// True probabilities (empty without an oracle).
  public var clickProbabilities: [Double]
  public var conversionProbabilities: [Double]

  public var count: Int { batch.count }

  /// Logs `count` impressions of `environment` from step 0, `chunk` steps at a time (an environment may serve
  /// fewer decisions than steps, e.g. when users are away; logging goes on until `count` are logged), choosing
  /// each ad uniformly at random from the stream `key`.
  public static func log(_ environment: any Environment, count: Int, chunk: Int, key: StreamKey) -> LoggedDataset {
    var stream = RandomStream(key: key)
    let k = environment.candidateCount
    let hasConversions = environment.outcomeColumns.contains(.conversions)
    var parts: [DecisionBatch] = []
    var data = LoggedDataset(
      batch: DecisionBatch(steps: [], userIDs: [], candidateCount: 1), clicks: [], conversions: [],
      clickProbabilities: [], conversionProbabilities: [])
    var outcomes = OutcomeBatch(count: 0), expected = OutcomeBatch(count: 0)
    var step = 0, logged = 0
    let slots = environment.slotCount
    while logged < count {
      let requested = min(chunk, count - logged)
      let served = environment.nextBatch(firstStep: step, count: requested)
      step += requested
      let n = served.count
      logged += n
      let actions = (0..<n).map { _ in Int32(stream.int(below: k)) }
      // In slotted markets the logged ad fills the first slot and the others stay empty.
      var slotted = [Int32](repeating: DecisionBatch.noAd, count: n * slots)
      for i in 0..<n { slotted[i * slots] = actions[i] }
      if environment.hasOracle {
        expected.reset(count: n * slots * k)
        environment.expectedOutcomes(served, into: &expected)
        for i in 0..<n {
          let entry = i * slots * k + Int(actions[i])
          let p = expected.clicks[entry]
          data.clickProbabilities.append(p)
          if hasConversions { data.conversionProbabilities.append(p > 0 ? expected.conversions[entry] / p : 0) }
        }
      }
      outcomes.reset(count: n * slots)
      slotted.withUnsafeBufferPointer { environment.resolve(served, actions: $0, into: &outcomes) }
      for i in 0..<n {
        data.clicks.append(outcomes.clicks[i * slots])
        data.conversions.append(outcomes.conversions[i * slots])
      }
      parts.append(served.shownOnly(actions))
    }
    data.batch = DecisionBatch.concatenated(parts)
    return data
  }

  /// The examples at `positions`, in that order.
  public func subset(_ positions: [Int]) -> LoggedDataset {
    func pick(_ values: [Double]) -> [Double] { values.isEmpty ? [] : positions.map { values[$0] } }
    return LoggedDataset(
      batch: batch.subset(positions), clicks: pick(clicks), conversions: pick(conversions),
      clickProbabilities: pick(clickProbabilities), conversionProbabilities: pick(conversionProbabilities))
  }

  /// Clicks and conversions as an outcome batch (impressions 1), for `InterestModel.learn`.
  public var outcomes: OutcomeBatch {
    var batch = OutcomeBatch(count: count)
    batch.impressions = [Double](repeating: 1, count: count)
    batch.clicks = clicks
    batch.conversions = conversions
    return batch
  }
}

extension DecisionBatch {
  /// The batch reduced to the shown ad of each decision: one candidate per decision, `actions` all 0.
  func shownOnly(_ actions: [Int32]) -> DecisionBatch {
    let k = candidateCount
    func rows<T>(_ values: [T], width: Int) -> [T] {
      guard width > 0, !values.isEmpty else { return [] }
      var out: [T] = []
      out.reserveCapacity(actions.count * width)
      for (i, a) in actions.enumerated() {
        let row = i * k + Int(a)
        out.append(contentsOf: values[(row * width)..<((row + 1) * width)])
      }
      return out
    }
    var features = self.features
    features.candidateCategorical = rows(features.candidateCategorical, width: schema.candidateCategorical.count)
    features.candidateDense = rows(features.candidateDense, width: schema.candidateDenseWidth)
    return DecisionBatch(
      steps: steps, userIDs: userIDs, candidateCount: 1, candidateIDs: rows(candidateIDs, width: 1), schema: schema,
      features: features)
  }

  /// The decisions of every part, in order. - Precondition: the parts share candidate count and schema.
  static func concatenated(_ parts: [DecisionBatch]) -> DecisionBatch {
    guard let first = parts.first else { return DecisionBatch(steps: [], userIDs: [], candidateCount: 1) }
    var features = FeatureBatch()
    for part in parts {
      precondition(
        part.candidateCount == first.candidateCount && part.schema == first.schema, "concatenated: parts differ")
      features.decisionCategorical += part.features.decisionCategorical
      features.candidateCategorical += part.features.candidateCategorical
      features.decisionDense += part.features.decisionDense
      features.candidateDense += part.features.candidateDense
      features.sequences += part.features.sequences
      features.sequenceLengths += part.features.sequenceLengths
    }
    return DecisionBatch(
      steps: parts.flatMap(\.steps), userIDs: parts.flatMap(\.userIDs), candidateCount: first.candidateCount,
      candidateIDs: parts.flatMap(\.candidateIDs), schema: first.schema, features: features)
  }
}
