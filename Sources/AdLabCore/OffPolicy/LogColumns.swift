/// Logged rounds as typed columns (struct of arrays), what the CSV readers parse into and the columnar cache
/// stores: per round the logged action and slot, the reward, the logging propensity, and the round's own
/// context features. Candidate features (the same every round) live in `LogFeatures`.
struct LogColumns: Sendable, Equatable {
  /// Dense context values per round (`context_<name>` columns; OBD's user-item affinities).
  var denseWidth: Int
  /// Categorical context ids per round (`category_<name>` columns; OBD's user features), hashed.
  var categoricalWidth: Int
  /// Expected rewards per round: one per candidate when the logs carry them (simulations), else 0.
  var expectedWidth: Int
  var actions: [Int32] = []
  var slots: [Int32] = []
  var rewards: [Double] = []
  var propensities: [Double] = []
  var dense: [Float] = []
  var categorical: [UInt64] = []
  var expected: [Double] = []

  init(denseWidth: Int, categoricalWidth: Int, expectedWidth: Int) {
    self.denseWidth = denseWidth
    self.categoricalWidth = categoricalWidth
    self.expectedWidth = expectedWidth
  }

  var count: Int { actions.count }

  /// Appends `other`'s rounds (same widths).
  mutating func append(_ other: LogColumns) {
    actions += other.actions
    slots += other.slots
    rewards += other.rewards
    propensities += other.propensities
    dense += other.dense
    categorical += other.categorical
    expected += other.expected
  }

  /// The rounds in `range`.
  func slice(_ range: Range<Int>) -> LogColumns {
    var out = LogColumns(denseWidth: denseWidth, categoricalWidth: categoricalWidth, expectedWidth: expectedWidth)
    out.actions = Array(actions[range])
    out.slots = Array(slots[range])
    out.rewards = Array(rewards[range])
    out.propensities = Array(propensities[range])
    out.dense = Array(dense[(range.lowerBound * denseWidth)..<(range.upperBound * denseWidth)])
    out.categorical = Array(categorical[(range.lowerBound * categoricalWidth)..<(range.upperBound * categoricalWidth)])
    out.expected = Array(expected[(range.lowerBound * expectedWidth)..<(range.upperBound * expectedWidth)])
    return out
  }
}

/// How a source's columns become decisions: the feature schema and the candidates' own features, which are the
/// same in every round (the action index for the generic schema; OBD's item features). A decision's categorical
/// features are the round's categorical columns followed by its logged slot (the `position` feature).
struct LogFeatures: Sendable, Equatable {
  var schema: FeatureSchema
  var candidateCount: Int
  var slotCount: Int
  /// Candidates × the schema's candidate categorical width.
  var candidateCategorical: [UInt64]
  /// Candidates × the schema's candidate dense width.
  var candidateDense: [Float]

  /// The decisions of `columns` (numbered from `firstRound` in steps and user ids).
  func batch(_ columns: LogColumns, firstRound: Int = 0) -> DecisionBatch {
    let n = columns.count, width = columns.categoricalWidth
    var features = FeatureBatch()
    features.decisionDense = columns.dense
    var decisionCategorical = [UInt64](repeating: 0, count: n * (width + 1))
    for i in 0..<n {
      for c in 0..<width { decisionCategorical[i * (width + 1) + c] = columns.categorical[i * width + c] }
      decisionCategorical[i * (width + 1) + width] = UInt64(columns.slots[i])
    }
    features.decisionCategorical = decisionCategorical
    features.candidateCategorical = repeated(candidateCategorical, times: n)
    features.candidateDense = repeated(candidateDense, times: n)
    return DecisionBatch(
      steps: Array(firstRound..<(firstRound + n)), userIDs: (firstRound..<(firstRound + n)).map { UInt64($0) },
      candidateCount: candidateCount, slotCount: slotCount, schema: schema, features: features)
  }

  private func repeated<T>(_ row: [T], times: Int) -> [T] {
    guard !row.isEmpty else { return [] }
    var out: [T] = []
    out.reserveCapacity(row.count * times)
    for _ in 0..<times { out.append(contentsOf: row) }
    return out
  }
}

extension LoggedBandit {
  /// Logged bandit feedback from columns and how they become decisions.
  init(
    name: String, metadata: [String: String], columns: LogColumns, features: LogFeatures, firstRound: Int = 0,
    sourceHashes: [String: String]
  ) {
    self.init(
      name: name, metadata: metadata, batch: features.batch(columns, firstRound: firstRound), actions: columns.actions,
      slots: columns.slots, rewards: columns.rewards, propensities: columns.propensities,
      expectedRewards: columns.expectedWidth > 0 ? columns.expected : nil, sourceHashes: sourceHashes)
  }
}
