/// A policy that can say, for each decision of a batch, how likely it is to put each candidate in each slot:
/// what off-policy evaluation needs (a policy's choices alone would only allow replay).
///
/// The distribution is written decision-major, `index = (decision * slotCount + slot) * candidateCount + candidate`,
/// and each (decision, slot) row sums to 1 (a policy that may leave a slot empty is not supported here).
/// Evaluation treats the policy as fixed: it is not updated on the logs.
public protocol ActionDistributionPolicy: AnyObject {
  /// Fills `distribution` (decisions × slots × candidates) for `batch`. `source` holds facts about the logs
  /// being evaluated (see `LoggedBandit.metadata`), e.g. the OBD campaign a prior belongs to.
  /// - Throws: `PluginError` or `LoggedDataError` when the policy cannot work with these logs.
  func actionDistribution(
    _ batch: DecisionBatch, source: [String: String], into distribution: UnsafeMutableBufferPointer<Double>) throws

  /// The name of a behaviour policy in the logs that this policy reproduces (e.g. "bts" for the Bernoulli TS
  /// policy with the ZOZOTOWN prior), whose on-policy value then serves as the truth; nil when none.
  var reproducesBehavior: String? { get }
}

extension ActionDistributionPolicy {
  public var reproducesBehavior: String? { nil }
}
