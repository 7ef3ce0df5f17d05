import AdLabCore
import AdLabTensor

/// Bernoulli Thompson sampling over items with Beta priors, ranked into every slot: each decision draws
/// θ_k ~ Beta(α_k + clicks_k, β_k + non-clicks_k) and fills slot s with the item of the (s+1)-th largest θ
/// (rank-ordered, without replacement), as the production policy of the Open Bandit Dataset does.
///
/// Off-policy, the policy is fixed at its prior and its action distribution is estimated by seeded Monte Carlo:
/// over `samples` draws of θ, `π(k | s) = #{draws where item k ranks s-th} / samples` (obp's
/// `compute_batch_action_dist`). With `prior: zozotown` the priors are the production ones of the logs' OBD
/// campaign (read from the fetched `prior_bts.yaml`), so the policy reproduces the logged "bts" behaviour and its
/// on-policy click rate serves as the truth.
public final class BernoulliTSEvaluationPolicy: Policy, ActionDistributionPolicy {
  public struct Params: PluginParameters {
    public var alpha: [Double] = [1]
    public var beta: [Double] = [1]
    /// Where the Beta priors come from.
    public enum Prior: String, EnumParameter { case given, zozotown }
    public var prior = Prior.given
    public var campaign = ""
    public var samples = 100_000
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("alpha", \.alpha, doc: "Beta prior α: one value for every item, or one per item"),
        .init("beta", \.beta, doc: "Beta prior β: one value for every item, or one per item"),
        .init(
          "prior", \.prior,
          doc:
            "given (alpha, beta) or zozotown (the OBD production priors of the campaign; off-policy only, online runs use alpha/beta)"
        ),
        .init(
          "campaign", \.campaign, doc: "zozotown prior: OBD campaign (all, men, women); empty takes the logs' campaign"),
        .init(
          "samples", \.samples, doc: "Monte Carlo draws for the action distribution (obp's n_sim)",
          .range(1...10_000_000)),
      ]
    }
    public func crossFieldProblems() -> [String] {
      var problems: [String] = []
      if alpha.isEmpty || beta.isEmpty { problems.append("alpha and beta need at least one value each") }
      if (alpha + beta).contains(where: { !($0 > 0) || !$0.isFinite }) {
        problems.append("alpha and beta must be finite and > 0")
      }
      if !campaign.isEmpty && !OpenBanditDataset.campaigns.contains(campaign) {
        problems.append("campaign '\(campaign)' is not an OBD campaign; use all, men or women")
      }
      return problems
    }
  }

  let params: Params
  let key: StreamKey
  let items: Int
  var stream: RandomStream
  var alpha: [Double], beta: [Double]

  public init(_ params: Params, context: PluginContext) throws {
    self.params = params
    key = context.key.child("bernoulli-ts")
    items = context.candidateCount
    guard context.adCount == context.candidateCount else {
      throw PluginError.invalidParameters(
        "bernoulli-ts keeps one posterior per item of a fixed item set, but this environment serves \(context.candidateCount) of \(context.adCount) ads per decision; use thompson, which keeps its statistics per ad id"
      )
    }
    stream = RandomStream(key: key.child("choose"))
    alpha = try Self.expand(params.alpha, items: items, name: "alpha")
    beta = try Self.expand(params.beta, items: items, name: "beta")
  }

  /// One value for all items, or exactly one per item.
  static func expand(_ values: [Double], items: Int, name: String) throws -> [Double] {
    if values.count == 1 { return [Double](repeating: values[0], count: items) }
    guard values.count == items else {
      throw PluginError.invalidParameters(
        "bernoulli-ts: \(name) has \(values.count) values but there are \(items) items; give one value or one per item")
    }
    return values
  }

  public var reproducesBehavior: String? { params.prior == .zozotown ? "bts" : nil }

  /// The priors to evaluate with: the given ones, or the campaign's production priors.
  func priors(source: [String: String]) throws -> (alpha: [Double], beta: [Double]) {
    guard params.prior == .zozotown else { return (alpha, beta) }
    let campaign = params.campaign.isEmpty ? (source["campaign"] ?? "all") : params.campaign
    guard let folder = source["folder"] else {
      throw PluginError.invalidParameters(
        "bernoulli-ts: prior 'zozotown' needs Open Bandit Dataset logs (environment 'logged' with dataset: obd)")
    }
    let prior = try OpenBanditDataset.zozotownPrior(folder: folder, campaign: campaign)
    guard prior.alpha.count == items else {
      throw PluginError.invalidParameters(
        "bernoulli-ts: the '\(campaign)' prior has \(prior.alpha.count) items but the logs have \(items)")
    }
    return prior
  }

  public func actionDistribution(
    _ batch: DecisionBatch, source: [String: String], into distribution: UnsafeMutableBufferPointer<Double>
  ) throws {
    let k = batch.candidateCount, slots = min(batch.slotCount, k)
    let prior = try priors(source: source)
    let perSlot = Self.rankDistribution(
      alpha: prior.alpha, beta: prior.beta, slots: slots, samples: params.samples,
      key: key.child("action-distribution"))
    let row = batch.slotCount * k
    for i in 0..<batch.count {
      for s in 0..<batch.slotCount {
        for c in 0..<k { distribution[i * row + s * k + c] = s < slots ? perSlot[s * k + c] : 1 / Double(k) }
      }
    }
  }

  /// `P(item k has the (s+1)-th largest θ)` for s < slots, slots × items, from `samples` seeded draws.
  static func rankDistribution(alpha: [Double], beta: [Double], slots: Int, samples: Int, key: StreamKey) -> [Double] {
    let k = alpha.count
    var stream = RandomStream(key: key)
    var counts = [Int](repeating: 0, count: slots * k)
    var theta = [Double](repeating: 0, count: k)
    var top = [Int](repeating: 0, count: slots)
    alpha.withUnsafeBufferPointer { a in
      beta.withUnsafeBufferPointer { b in
        theta.withUnsafeMutableBufferPointer { t in
          for _ in 0..<samples {
            stream.fillBeta(alpha: a, beta: b, into: t)
            // Partial selection of the `slots` largest: slots is tiny (3), so repeated scans beat a sort.
            for s in 0..<slots {
              var best = -1, bestValue = -Double.infinity
              for c in 0..<k where t[c] > bestValue && !top[0..<s].contains(c) {
                best = c
                bestValue = t[c]
              }
              top[s] = best
              counts[s * k + best] += 1
            }
          }
        }
      }
    }
    return counts.map { Double($0) / Double(samples) }
  }

  // MARK: - Online use

  /// Samples every item's posterior and ranks the draws into the decision's slots. Propensities are not
  /// reported online (they would need the Monte Carlo above per batch); off-policy use reads `actionDistribution`.
  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let k = batch.candidateCount, slots = batch.slotCount
    var theta = [Double](repeating: 0, count: k)
    for i in 0..<batch.count {
      for c in 0..<k { theta[c] = stream.beta(alpha[min(c, items - 1)], beta[min(c, items - 1)]) }
      let order = theta.indices.sorted { theta[$0] > theta[$1] || (theta[$0] == theta[$1] && $0 < $1) }
      for s in 0..<slots { actions[i * slots + s] = s < k ? Int32(order[s]) : DecisionBatch.noAd }
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    for (entry, action) in actions.enumerated() where action != DecisionBatch.noAd {
      let item = Int(action)  // the item set is fixed (checked in init), so the candidate index is the item
      alpha[item] += rewards[entry]
      beta[item] += 1 - min(rewards[entry], 1)
    }
  }
}
