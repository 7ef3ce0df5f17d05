import AdLabCore
import AdLabTensor
import Foundation

/// Beta–Bernoulli Thompson sampling: each decision draws a click rate for every ad from its posterior
/// Beta(prior_alpha + successes, prior_beta + failures) and shows the ad with the highest draw.
///
/// Rewards are clipped to [0, 1]; a fractional reward r counts as a success with probability r
/// (Agrawal & Goyal 2012), so the posterior stays Beta. The propensity of a choice is the posterior
/// probability that the ad is the best, computed per batch by quadrature (see `BetaArgmaxProbabilities`),
/// which is exact up to quadrature error, unlike a Monte Carlo estimate.
///
/// Two samplers give the same distribution of choices. Feedback arrives once per batch, so the posterior is
/// fixed within a batch and every decision's argmax is an independent draw from those probabilities:
/// `posterior-draws` (default) draws K Beta variates per decision and takes the argmax, the textbook form;
/// `matching` computes the probabilities and draws the ad straight from them with an alias table, which
/// pays for the quadrature on every batch but gets propensities for free.
///
/// Posteriors are per ad id when the batch has candidate ids. With S slots the S highest draws fill the slots
/// (best draw in slot 0); the reported propensity is exact for slot 0 and NaN for later slots (the probability of
/// being the s-th largest draw needs an s-fold integral). `matching` samples one ad per decision, so it refuses
/// environments with several slots.
public final class ThompsonPolicy: Policy {
  public struct Params: PluginParameters {
    public var priorAlpha = 1.0
    public var priorBeta = 1.0
    /// How a decision's ad is drawn (see the `sampling` field).
    public enum Sampling: String, EnumParameter {
      case posteriorDraws = "posterior-draws"
      case matching
    }

    public var sampling = Sampling.posteriorDraws
    public var learnFrom = SlotFeedback.all
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("prior_alpha", \.priorAlpha, doc: "alpha of every ad's Beta prior (pseudo-successes)", .greaterThan(0)),
        .init("prior_beta", \.priorBeta, doc: "beta of every ad's Beta prior (pseudo-failures)", .greaterThan(0)),
        .init(
          "sampling", \.sampling,
          doc:
            "posterior-draws: argmax of K Beta draws per decision; matching: draw each ad with its exact probability of being best (same distribution)"
        ),
        SlotFeedback.field(\.learnFrom, updating: "posteriors"),
      ]
    }
  }

  private let params: Params
  private let feedback: SlotFeedback
  private var successes: [Double]
  private var failures: [Double]
  private var stream: RandomStream
  private var draws: [Double] = []
  private var row: [Double] = []

  public init(_ params: Params, context: PluginContext) throws {
    if params.sampling == .matching && context.slotCount > 1 {
      throw PluginError.invalidParameters(
        "thompson: sampling 'matching' draws one ad per decision, and the environment has \(context.slotCount) slots; use sampling: posterior-draws"
      )
    }
    self.params = params
    feedback = params.learnFrom
    successes = Array(repeating: 0, count: context.perAdStateCount)
    failures = successes
    stream = RandomStream(key: context.key.child("thompson"))
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let alphas = successes.map { $0 + params.priorAlpha }
    let betas = failures.map { $0 + params.priorBeta }
    if !batch.candidateIDs.isEmpty {
      choosePerDecision(batch, alphas: alphas, betas: betas, actions: actions, propensities: propensities)
      return
    }
    let k = batch.candidateCount, n = batch.count, slots = batch.slotCount
    if params.sampling == .matching {
      let probabilities = BetaArgmaxProbabilities.compute(alphas: Array(alphas[0..<k]), betas: Array(betas[0..<k]))
      let table = AliasTable(weights: probabilities)
      for i in 0..<n {
        let arm = table.sample(using: &stream)
        actions[i] = Int32(arm)
        propensities?[i] = probabilities[arm]
      }
      return
    }
    // Column-wise draws (all decisions for one ad, then the next): one Beta shape per call, so the gamma attempts
    // run on vector lanes (`fillBetaLanes`, the same bits in every kernel class).
    if draws.count < n * k { draws = [Double](repeating: 0, count: n * k) }
    if row.count != k { row = [Double](repeating: 0, count: k) }
    var stream = self.stream
    defer { self.stream = stream }
    draws.withUnsafeMutableBufferPointer { buffer in
      for a in 0..<k {
        stream.fillBetaLanes(
          alpha: alphas[a], beta: betas[a], into: UnsafeMutableBufferPointer(rebasing: buffer[(a * n)..<((a + 1) * n)]))
      }
      if slots == 1 {
        for i in 0..<n {
          var best = 0
          var top = buffer[i]
          for a in 1..<max(k, 1) where buffer[a * n + i] > top {
            top = buffer[a * n + i]
            best = a
          }
          actions[i] = Int32(best)
        }
        return
      }
      row.withUnsafeMutableBufferPointer { row in
        for i in 0..<n {
          for a in 0..<k { row[a] = buffer[a * n + i] }
          SlotRanking.fillTop(
            UnsafeBufferPointer(row), slots: slots, actions, base: i * slots, propensities: nil, stream: &stream)
        }
      }
    }
    if let propensities {
      let probabilities = BetaArgmaxProbabilities.compute(alphas: Array(alphas[0..<k]), betas: Array(betas[0..<k]))
      for i in 0..<n {
        for s in 0..<slots {
          let a = actions[i * slots + s]
          propensities[i * slots + s] = a == DecisionBatch.noAd ? 1 : (s == 0 ? probabilities[Int(a)] : .nan)
        }
      }
    }
  }

  /// Batches with candidate ids: each decision ranks its own candidates' posteriors, drawn one decision at a
  /// time. Propensities (slot 0) need the argmax probabilities of each decision's candidate set: one quadrature
  /// per decision, so ask for them only when logging.
  private func choosePerDecision(
    _ batch: DecisionBatch, alphas: [Double], betas: [Double], actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let k = batch.candidateCount, slots = batch.slotCount
    if row.count != k { row = [Double](repeating: 0, count: k) }
    var stream = self.stream
    defer { self.stream = stream }
    for i in 0..<batch.count {
      let ads = (0..<k).map { batch.adID(decision: i, candidate: $0) }
      let base = i * slots
      if params.sampling == .matching {
        let probabilities = BetaArgmaxProbabilities.compute(
          alphas: ads.map { alphas[$0] }, betas: ads.map { betas[$0] })
        let c = stream.categorical(probabilities)
        actions[base] = Int32(c)
        propensities?[base] = probabilities[c]
        continue
      }
      row.withUnsafeMutableBufferPointer { row in
        for c in 0..<k { row[c] = stream.beta(alphas[ads[c]], betas[ads[c]]) }
        SlotRanking.fillTop(
          UnsafeBufferPointer(row), slots: slots, actions, base: base, propensities: nil, stream: &stream)
      }
      if let propensities {
        let probabilities = BetaArgmaxProbabilities.compute(
          alphas: ads.map { alphas[$0] }, betas: ads.map { betas[$0] })
        for s in 0..<slots {
          let a = actions[base + s]
          propensities[base + s] = a == DecisionBatch.noAd ? 1 : (s == 0 ? probabilities[Int(a)] : .nan)
        }
      }
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    feedback.forEachShown(batch, actions: actions, rewards: rewards) { _, _, ad, _, reward in
      let r = min(max(reward, 0), 1)
      let success = r == 1 || (r > 0 && stream.uniform() < r)
      if success { successes[ad] += 1 } else { failures[ad] += 1 }
    }
  }
}
