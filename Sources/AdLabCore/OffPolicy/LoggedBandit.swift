/// Logged bandit feedback: rounds of (context, shown action, slot, reward, logging propensity), as a
/// production system or a simulated run wrote them. Off-policy estimators read it; it never changes.
///
/// Position-based, as in the Open Bandit Dataset: each round logs one (item, position) pair, so an evaluation
/// policy's probability is taken per (round, item, position) for the logged position.
///
/// Parallel arrays (struct of arrays) so estimator loops walk contiguous memory.
public struct LoggedBandit: Sendable {
  /// A short name of where the rounds come from, e.g. "obd/men/random"; reports group results by it.
  public var name: String
  /// Key–value facts about the source ("dataset", "campaign", "behavior", ...) that evaluation policies may
  /// read (e.g. the Bernoulli TS policy's campaign prior) and manifests record.
  public var metadata: [String: String]
  /// Every round as one decision with all candidate actions and its features, slot count = `slotCount`.
  /// The logged slot is also a decision feature named `position` when the source declares it, so reward
  /// models can learn position effects.
  public var batch: DecisionBatch
  /// The logged action (candidate index) of each round.
  public var actions: [Int32]
  /// The logged slot of each round (0-based).
  public var slots: [Int32]
  public var rewards: [Double]
  /// The logging policy's probability of the logged action in the logged slot, in (0, 1].
  public var propensities: [Double]
  /// When known (simulated logs): the expected reward of every candidate in the logged slot of each round,
  /// rounds × candidates, so a policy's true value is exact.
  public var expectedRewards: [Double]?
  /// On-policy values of named behaviour policies measured on their own logs (e.g. "bts": the Bernoulli TS
  /// policy's click rate in its own OBD logs); an evaluation policy that says it reproduces one is compared to it.
  public var onPolicyValues: [String: Double]
  /// sha256 of the files the rounds were read from, by file name (empty for generated logs).
  public var sourceHashes: [String: String]

  public init(
    name: String, metadata: [String: String] = [:], batch: DecisionBatch, actions: [Int32], slots: [Int32],
    rewards: [Double], propensities: [Double], expectedRewards: [Double]? = nil,
    onPolicyValues: [String: Double] = [:], sourceHashes: [String: String] = [:]
  ) {
    let n = batch.count
    precondition(
      actions.count == n && slots.count == n && rewards.count == n && propensities.count == n,
      "logged bandit: every column needs one entry per round")
    precondition(
      expectedRewards.map { $0.count == n * batch.candidateCount } ?? true, "expected rewards: rounds × candidates")
    self.name = name
    self.metadata = metadata
    self.batch = batch
    self.actions = actions
    self.slots = slots
    self.rewards = rewards
    self.propensities = propensities
    self.expectedRewards = expectedRewards
    self.onPolicyValues = onPolicyValues
    self.sourceHashes = sourceHashes
  }

  public var count: Int { actions.count }
  public var candidateCount: Int { batch.candidateCount }
  public var slotCount: Int { batch.slotCount }

  /// Mean logged reward: the logging policy's own value.
  public var meanReward: Double { rewards.isEmpty ? 0 : rewards.reduce(0, +) / Double(rewards.count) }

  /// The rounds at `positions`, in that order.
  public func subset(_ positions: [Int]) -> LoggedBandit {
    let k = candidateCount
    return LoggedBandit(
      name: name, metadata: metadata, batch: batch.subset(positions), actions: positions.map { actions[$0] },
      slots: positions.map { slots[$0] }, rewards: positions.map { rewards[$0] },
      propensities: positions.map { propensities[$0] },
      expectedRewards: expectedRewards.map { e in positions.flatMap { e[($0 * k)..<(($0 + 1) * k)] } },
      onPolicyValues: onPolicyValues, sourceHashes: sourceHashes)
  }
}

/// A source of logged rounds: an environment that replays logs rather than simulating a market. `adlab run`
/// evaluates a spec whose environment is one of these off-policy (see `OffPolicyRunner`) instead of running it.
public protocol LoggedBanditSource: AnyObject {
  /// Reads (or generates) the logs: one segment per e.g. OBD campaign, in a fixed order, ready to stream.
  /// - Throws: `LoggedDataError` naming the file, row and column of a malformed entry, or what to fetch first.
  func loadLogs() throws -> [LoggedSegment]
}
