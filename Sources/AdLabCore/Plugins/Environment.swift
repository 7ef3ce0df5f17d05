/// A market a policy acts in: serves decisions, turns chosen ads into outcomes and, where it can,
/// says what every candidate was expected to earn (the oracle behind regret).
///
/// One instance is made per job and used by one thread; all its randomness comes from `PluginContext.key`.
/// For paired comparisons an environment must give every variant of a replication the same users and the
/// same outcome noise for the same (step, ad): draw noise from counter-based streams keyed by those, not
/// from a sequential stream whose position depends on what was chosen.
public protocol Environment: AnyObject {
  /// Number of candidate ads in every decision.
  var candidateCount: Int { get }
  /// Ad slots per decision (default 1).
  var slotCount: Int { get }
  /// Number of distinct ads behind `DecisionBatch.candidateIDs` (default `candidateCount`, when candidates are
  /// the same ads 0..<K in every decision). Learners that keep per-ad state size it by this.
  var adCount: Int { get }
  /// The features served with every decision (`.empty` for context-free environments).
  var featureSchema: FeatureSchema { get }
  /// Which outcome columns `resolve` fills.
  var outcomeColumns: OutcomeColumns { get }
  /// Whether `expectedOutcomes` is available (then regret is reported).
  var hasOracle: Bool { get }
  /// The decisions of steps `firstStep ..< firstStep + count` of the population, in step order. It may return
  /// fewer decisions than `count`, e.g. when users are away; steps are still the population timeline (the next
  /// batch starts at `firstStep + count`, and `DecisionBatch.steps` says which steps have a decision).
  func nextBatch(firstStep: Int, count: Int) -> DecisionBatch
  /// Outcomes of showing `actions[i * slotCount + s]` in slot `s` of decision `i` of `batch` (which may be a
  /// subset of a served batch); `DecisionBatch.noAd` leaves the slot empty and its outcome zero.
  /// Must write every entry of each column in `outcomeColumns` (and `impressions`); the runner reuses the
  /// buffers between batches and clears them only when their size changes. Stateful markets (budgets, fatigue,
  /// histories) advance here, so the runner calls it exactly once per served decision.
  func resolve(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, into outcomes: inout OutcomeBatch)
  /// Expected outcomes of every candidate in every slot of every decision, in the state before `resolve`,
  /// laid out `index = (decision * slotCount + slot) * candidateCount + candidate`. Called only when `hasOracle`,
  /// before `resolve` of the same batch; it must not change state. Same writing rule as `resolve`.
  func expectedOutcomes(_ batch: DecisionBatch, into outcomes: inout OutcomeBatch)
  /// Cumulative market-level counters since the start of the job (budgets, user-days, returns, exposure
  /// frequency), or nil when the environment has no such notion. Read by the runner after every batch.
  func marketCounters() -> MarketCounters?
}

extension Environment {
  public var featureSchema: FeatureSchema { .empty }
  public var slotCount: Int { 1 }
  public var adCount: Int { candidateCount }
  public func marketCounters() -> MarketCounters? { nil }
}
