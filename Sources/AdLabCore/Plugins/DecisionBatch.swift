/// A batch of decisions to make: which users arrive at which steps, and how many candidate ads
/// each decision chooses among. Environments fill it; policies read it.
///
/// A decision is one page view with `slotCount` ad slots (1 for classic bandits). Its action fills every slot
/// with a candidate index or leaves it empty (`DecisionBatch.noAd`): actions, outcomes and rewards are laid out
/// decision-major, `index = decision * slotCount + slot`, slot 0 first (the most examined slot by convention).
///
/// Kept as parallel arrays (struct of arrays) so hot loops walk contiguous memory.
public struct DecisionBatch: Sendable {
  /// The action of a slot left empty: no ad shown there.
  public static let noAd: Int32 = -1

  /// Step of each decision in the whole population's timeline (0-based).
  public var steps: [Int]
  /// The user each decision is for. Split-mode traffic assignment hashes it.
  public var userIDs: [UInt64]
  /// Number of candidate ads per decision; a slot's action is an index below it (or `noAd`).
  public var candidateCount: Int
  /// Ad slots per decision. The same ad fills at most one slot of a decision.
  public var slotCount: Int
  /// The id of each candidate ad, decision-major (empty when every decision has the same ads 0..<K).
  /// When present, ids are dense in `0..<Environment.adCount`, so learners may index per-ad state by them.
  public var candidateIDs: [UInt64]
  /// What `features` holds.
  public var schema: FeatureSchema
  public var features: FeatureBatch
  /// The variant's interest-model predictions, set by the runner before the policy chooses (nil without a model).
  public var predictions: Predictions?
  /// Per (decision, candidate), decision-major: whether the candidate's item is new (arrived during the run and
  /// younger than the environment's new-item window). Nil when the environment has no arrivals; the runner then
  /// reports no `new_item_*` metrics.
  public var newItemCandidates: [Bool]?

  public init(
    steps: [Int], userIDs: [UInt64], candidateCount: Int, slotCount: Int = 1, candidateIDs: [UInt64] = [],
    schema: FeatureSchema = .empty, features: FeatureBatch = FeatureBatch()
  ) {
    precondition(slotCount >= 1, "a decision has at least one slot")
    precondition(steps.count == userIDs.count, "steps and userIDs must have one entry per decision")
    precondition(
      candidateIDs.isEmpty || candidateIDs.count == steps.count * candidateCount,
      "candidateIDs must have decisions × candidates entries")
    self.steps = steps
    self.userIDs = userIDs
    self.candidateCount = candidateCount
    self.slotCount = slotCount
    self.candidateIDs = candidateIDs
    self.schema = schema
    self.features = features
  }

  public var count: Int { steps.count }

  /// Entries of the action, outcome and reward buffers: decisions × slots.
  public var actionCount: Int { steps.count * slotCount }

  /// The ad id of candidate `candidate` of decision `decision`: its index when the batch has no ids.
  @inlinable public func adID(decision: Int, candidate: Int) -> Int {
    candidateIDs.isEmpty ? candidate : Int(candidateIDs[decision * candidateCount + candidate])
  }

  /// The decisions at the given positions, in that order, with their features.
  public func subset(_ positions: [Int]) -> DecisionBatch {
    let ids =
      candidateIDs.isEmpty
      ? [] : positions.flatMap { candidateIDs[($0 * candidateCount)..<(($0 + 1) * candidateCount)] }
    var batch = DecisionBatch(
      steps: positions.map { steps[$0] }, userIDs: positions.map { userIDs[$0] }, candidateCount: candidateCount,
      slotCount: slotCount, candidateIDs: ids, schema: schema,
      features: features.subset(positions, schema: schema, candidates: candidateCount))
    batch.predictions = predictions?.subset(positions, candidates: candidateCount)
    batch.newItemCandidates = newItemCandidates.map { flags in
      positions.flatMap { flags[($0 * candidateCount)..<(($0 + 1) * candidateCount)] }
    }
    return batch
  }
}

/// What happened (or, for the oracle, what is expected to happen) in each slot of each decision: one entry per
/// (decision, slot), or per (decision, slot, candidate) for expected outcomes. An empty slot's entry is all zero.
/// Columns an environment does not model stay zero.
public struct OutcomeBatch: Sendable {
  public var impressions: [Double]
  public var clicks: [Double]
  public var conversions: [Double]
  /// Gross merchandise value of the conversions.
  public var revenue: [Double]
  /// The seller's margin on that revenue (revenue minus cost of goods): what profit is computed from.
  public var margin: [Double]
  /// What the advertiser paid for the impression or click.
  public var cost: [Double]
  /// How many ads the user had been shown within the environment's frequency window, this one included
  /// (0 for an empty slot): what frequency caps and fatigue penalties look at.
  public var frequency: [Double]

  /// A batch of `count` zero outcomes.
  public init(count: Int) {
    impressions = Array(repeating: 0, count: count)
    clicks = impressions
    conversions = impressions
    revenue = impressions
    margin = impressions
    cost = impressions
    frequency = impressions
  }

  public var count: Int { clicks.count }

  /// Makes the batch hold `count` outcomes. When the count is unchanged nothing is cleared: environments
  /// overwrite every entry of the columns they model, and the columns they do not model are still zero.
  public mutating func prepare(count: Int) {
    if count != self.count { reset(count: count) }
  }

  /// Sets every column back to zero, keeping capacity, for a new batch of `count`.
  public mutating func reset(count: Int) {
    for column in [\OutcomeBatch.impressions, \.clicks, \.conversions, \.revenue, \.margin, \.cost, \.frequency]
      as [WritableKeyPath<OutcomeBatch, [Double]>]
    {
      self[keyPath: column].removeAll(keepingCapacity: true)
      self[keyPath: column].append(contentsOf: repeatElement(0, count: count))
    }
  }
}

/// The outcome columns an environment produces, so reports show only metrics that mean something.
public struct OutcomeColumns: OptionSet, Sendable, Hashable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  public static let clicks = OutcomeColumns(rawValue: 1 << 0)
  public static let conversions = OutcomeColumns(rawValue: 1 << 1)
  public static let revenue = OutcomeColumns(rawValue: 1 << 2)
  public static let cost = OutcomeColumns(rawValue: 1 << 3)
  public static let margin = OutcomeColumns(rawValue: 1 << 4)
  public static let frequency = OutcomeColumns(rawValue: 1 << 5)
}
