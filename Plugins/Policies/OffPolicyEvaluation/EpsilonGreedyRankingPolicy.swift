import AdLabCore
import AdLabTensor

/// A fixed ε-greedy ranking: with probability 1 − ε the items ranked by given scores fill the slots in order
/// (best in slot 0), with probability ε a uniformly random ranking does. Its action distribution is exact:
///
/// ```
/// π(k | s) = (1 − ε) · 1{k is the s-th best by score} + ε / K
/// ```
///
/// Scores are one per item, or with `scores: zozotown` the posterior means α/(α+β) of the OBD production priors
/// of the logs' campaign, so "greedy on what Bernoulli TS believes" can be evaluated against Bernoulli TS itself.
/// Ties in score go to the lower index. It does not learn (`update` is a no-op).
public final class EpsilonGreedyRankingPolicy: Policy, ActionDistributionPolicy {
  public struct Params: PluginParameters {
    public var epsilon = 0.1
    public var scores: [Double] = []
    /// Where the scores come from.
    public enum Prior: String, EnumParameter { case none, zozotown }
    public var prior = Prior.none
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("epsilon", \.epsilon, doc: "probability of a uniformly random ranking", .range(0...1)),
        .init("scores", \.scores, doc: "one score per item (higher ranks first); empty with prior: zozotown"),
        .init(
          "prior", \.prior,
          doc: "none (use scores) or zozotown (OBD production prior means of the logs' campaign; off-policy only)"),
      ]
    }
    public func crossFieldProblems() -> [String] {
      prior == .none && scores.isEmpty ? ["give one score per item in 'scores', or 'prior: zozotown'"] : []
    }
  }

  let params: Params
  var stream: RandomStream

  public init(_ params: Params, context: PluginContext) throws {
    self.params = params
    stream = RandomStream(key: context.key.child("epsilon-greedy-ranking"))
    guard context.adCount == context.candidateCount else {
      throw PluginError.invalidParameters(
        "epsilon-greedy-ranking ranks a fixed item set, but this environment serves \(context.candidateCount) of \(context.adCount) ads per decision"
      )
    }
    if params.prior == .none && context.candidateCount > 0 {
      givenOrder = try ranking(items: context.candidateCount, source: [:])
    }
  }

  /// The ranking by the given scores (nil with `prior: zozotown`, whose scores come from the logs).
  private var givenOrder: [Int]?

  /// Item indices from best to worst score for these logs.
  func ranking(items: Int, source: [String: String]) throws -> [Int] {
    var scores = params.scores
    if params.prior == .zozotown {
      guard let folder = source["folder"] else {
        throw PluginError.invalidParameters(
          "epsilon-greedy-ranking: prior 'zozotown' needs Open Bandit Dataset logs (environment 'logged' with dataset: obd)"
        )
      }
      let prior = try OpenBanditDataset.zozotownPrior(folder: folder, campaign: source["campaign"] ?? "all")
      scores = zip(prior.alpha, prior.beta).map { $0 / ($0 + $1) }
    }
    guard scores.count == items else {
      throw PluginError.invalidParameters(
        "epsilon-greedy-ranking: \(scores.count) scores but \(items) items; give one score per item")
    }
    return scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
  }

  public func actionDistribution(
    _ batch: DecisionBatch, source: [String: String], into distribution: UnsafeMutableBufferPointer<Double>
  ) throws {
    let k = batch.candidateCount, slots = batch.slotCount
    let order = try ranking(items: k, source: source)
    let explore = params.epsilon / Double(k)
    for i in 0..<batch.count {
      for s in 0..<slots {
        let row = (i * slots + s) * k
        for c in 0..<k { distribution[row + c] = explore }
        if s < k { distribution[row + order[s]] += 1 - params.epsilon }
      }
    }
  }

  /// Online: the greedy ranking by the given scores, or with probability ε a uniformly random one (an ordered
  /// partial shuffle, uniform in every slot); each slot's propensity is its marginal `π(k | s)` above.
  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let k = batch.candidateCount, slots = batch.slotCount
    // `prior: zozotown` on an environment that does not replay logs is refused at spec time
    // (`PolicySpecChecks.logsOnlyPrior`), so an online run always has the given ranking.
    guard let order = givenOrder else { return }
    for i in 0..<batch.count {
      let ranked =
        stream.uniform() < params.epsilon
        ? stream.sampleWithoutReplacement(min(slots, k), from: k) : Array(order.prefix(slots))
      for s in 0..<slots {
        let a = s < ranked.count ? ranked[s] : -1
        actions[i * slots + s] = a < 0 ? DecisionBatch.noAd : Int32(a)
        propensities?[i * slots + s] =
          a < 0 ? .nan : (a == order[s] ? 1 - params.epsilon : 0) + params.epsilon / Double(k)
      }
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {}
}
