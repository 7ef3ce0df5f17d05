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
public final class ThompsonPolicy: Policy {
  public struct Params: PluginParameters {
    public var priorAlpha = 1.0
    public var priorBeta = 1.0
    public var sampling = "posterior-draws"
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("prior_alpha", \.priorAlpha, doc: "alpha of every ad's Beta prior (pseudo-successes)", .greaterThan(0)),
        .init("prior_beta", \.priorBeta, doc: "beta of every ad's Beta prior (pseudo-failures)", .greaterThan(0)),
        .init("sampling", \.sampling, doc: "posterior-draws: argmax of K Beta draws per decision; matching: draw each ad with its exact probability of being best (same distribution)",
              .oneOf(["posterior-draws", "matching"])),
      ]
    }
  }

  private let params: Params
  private var successes: [Double]
  private var failures: [Double]
  private var stream: RandomStream
  private var draws: [Double] = []

  public init(_ params: Params, context: PluginContext) {
    self.params = params
    successes = Array(repeating: 0, count: context.candidateCount)
    failures = successes
    stream = RandomStream(key: context.key.child("thompson"))
  }

  public func choose(_ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>, propensities: UnsafeMutableBufferPointer<Double>?) {
    let k = successes.count, n = batch.count
    let alphas = successes.map { $0 + params.priorAlpha }
    let betas = failures.map { $0 + params.priorBeta }
    if params.sampling == "matching" {
      let probabilities = BetaArgmaxProbabilities.compute(alphas: alphas, betas: betas)
      let table = AliasTable(weights: probabilities)
      for i in 0..<n {
        let arm = table.sample(using: &stream)
        actions[i] = Int32(arm)
        propensities?[i] = probabilities[arm]
      }
      return
    }
    // Column-wise draws (all decisions for one ad, then the next) keep one Beta's setup in registers.
    if draws.count < n * k { draws = [Double](repeating: 0, count: n * k) }
    draws.withUnsafeMutableBufferPointer { buffer in
      for a in 0..<k {
        stream.fillBeta(alpha: alphas[a], beta: betas[a], into: UnsafeMutableBufferPointer(rebasing: buffer[(a * n)..<((a + 1) * n)]))
      }
      for i in 0..<n {
        var best = 0
        var top = buffer[i]
        for a in 1..<max(k, 1) where buffer[a * n + i] > top {
          top = buffer[a * n + i]
          best = a
        }
        actions[i] = Int32(best)
      }
    }
    if let propensities {
      let probabilities = BetaArgmaxProbabilities.compute(alphas: alphas, betas: betas)
      for i in 0..<n { propensities[i] = probabilities[Int(actions[i])] }
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>) {
    for i in 0..<actions.count {
      let arm = Int(actions[i])
      let r = min(max(rewards[i], 0), 1)
      let success = r == 1 || (r > 0 && stream.uniform() < r)
      if success { successes[arm] += 1 } else { failures[arm] += 1 }
    }
  }
}
