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
  /// The features served with every decision (`.empty` for context-free environments).
  var featureSchema: FeatureSchema { get }
  /// Which outcome columns `resolve` fills.
  var outcomeColumns: OutcomeColumns { get }
  /// Whether `expectedOutcomes` is available (then regret is reported).
  var hasOracle: Bool { get }
  /// The next `count` decisions of the population, starting at step `firstStep`.
  func nextBatch(firstStep: Int, count: Int) -> DecisionBatch
  /// Outcomes of showing `actions[i]` for decision `i` of `batch` (which may be a subset of a served batch).
  /// Must write every entry of each column in `outcomeColumns` (and `impressions`); the runner reuses the
  /// buffers between batches and clears them only when their size changes.
  func resolve(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, into outcomes: inout OutcomeBatch)
  /// Expected outcomes of every candidate for every decision, laid out decision-major
  /// (`index = decision * candidateCount + candidate`). Called only when `hasOracle`. Same writing rule as `resolve`.
  func expectedOutcomes(_ batch: DecisionBatch, into outcomes: inout OutcomeBatch)
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
}

/// Maps outcomes to the scalar reward policies maximise. Must be linear in the outcome columns
/// for regret to be exact, since regret applies it to expected outcomes.
public protocol RewardFunction: Sendable {
  /// `rewards[i]` for outcome `i`.
  func rewards(for outcomes: OutcomeBatch, into rewards: UnsafeMutableBufferPointer<Double>)
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
