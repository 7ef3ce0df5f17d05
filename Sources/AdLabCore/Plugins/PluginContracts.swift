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

/// A learner that chooses an ad for each decision and reports how likely that choice was.
///
/// Feedback is delayed by a batch, as in ad serving with batched logs: `choose` sees a whole batch, then
/// `update` receives that batch's rewards.
public protocol Policy: AnyObject {
  /// Writes the chosen candidate index for every decision of `batch` and, when `propensities` is given,
  /// the propensity of each choice (its probability under the policy at decision time). The runner asks
  /// for propensities only when something uses them (a decision log, off-policy evaluation), because for
  /// some policies (Thompson sampling) they cost more than the choice itself.
  func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?)
  /// Learns from the rewards of the decisions it made for `batch`.
  func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
}

extension Environment {
  public var featureSchema: FeatureSchema { .empty }
  public var slotCount: Int { 1 }
  public var adCount: Int { candidateCount }
  public func marketCounters() -> MarketCounters? { nil }
}

/// Maps outcomes to the scalar reward policies maximise. Must be linear in the outcome columns
/// for regret to be exact, since regret applies it to expected outcomes. One instance per job, used by one
/// thread; a reward with state (a Lagrange multiplier) changes it only in `observe`.
public protocol RewardFunction: AnyObject {
  /// `rewards[i]` for outcome `i`; an all-zero outcome (an empty slot) must earn 0.
  func rewards(for outcomes: OutcomeBatch, into rewards: UnsafeMutableBufferPointer<Double>)
  /// Sees the realised outcomes of each batch after its rewards were computed (default: nothing).
  func observe(_ outcomes: OutcomeBatch)
}

extension RewardFunction {
  public func observe(_ outcomes: OutcomeBatch) {}
}

/// A predictor of click and conversion probabilities for (user, ad) pairs: the interest model of ad
/// delivery. It reads features through the batch's `FeatureSchema` only, learns online from the outcomes of
/// the ads actually shown (one mini-batch per decision batch), and its predictions reach the variant's
/// policy through `DecisionBatch.predictions`.
public protocol InterestModel: AnyObject {
  /// Whether `predict` fills `Predictions.conversion` (pCVR given a click).
  var predictsConversions: Bool { get }
  /// Predictions for every candidate of every decision of `batch`, decision-major.
  func predict(_ batch: DecisionBatch, into predictions: inout Predictions)
  /// Learns from the shown ads (`actions[i]` for decision `i`) and their outcomes.
  func learn(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, outcomes: OutcomeBatch)
}
