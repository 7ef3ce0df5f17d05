import AdLabCore
import AdLabTensor
import Foundation

/// Linear Thompson sampling (Agrawal & Goyal 2013), disjoint: each ad's weights have the Gaussian posterior
/// N(θ_a, v² A_a⁻¹) of a ridge regression on the context x. A decision draws fresh weights for every ad and
/// shows the ad with the highest sampled reward. Only θ̃_aᵀx matters and the ads' draws are independent, so
/// the sampled reward is drawn directly from its exact marginal N(θ_aᵀx, v² xᵀA_a⁻¹x): the same choices in
/// distribution at a fraction of the cost. Propensities (when asked) are the exact probabilities that each
/// ad's draw is the largest, by quadrature (`NormalArgmaxProbabilities`).
/// Models are per ad id when the batch has candidate ids. With S slots the S highest draws fill the slots; the
/// propensity is exact for slot 0 and NaN for later slots (an s-th-largest probability needs an s-fold integral).
public final class LinTSPolicy: Policy {
  public struct Params: PluginParameters {
    public var scale = 0.5
    public var regularization = 1.0
    public var features: [String] = []
    public var learnFrom = SlotFeedback.all
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("scale", \.scale, doc: "posterior scale v: sampled weights have covariance v² A⁻¹", .range(0...100)),
        .init(
          "regularization", \.regularization, doc: "ridge penalty λ (prior precision of every weight)", .greaterThan(0)),
        .init("features", \.features, doc: "user/context dense features forming x; empty takes all of them"),
        SlotFeedback.field(\.learnFrom, updating: "models"),
      ]
    }
  }

  private let scale: Double
  private let feedback: SlotFeedback
  private let contexts: ContextVectors
  private var arms: RidgeArms
  private var stream: RandomStream

  public init(_ params: Params, context: PluginContext) throws {
    scale = params.scale
    feedback = params.learnFrom
    contexts = try ContextVectors(schema: context.featureSchema, names: params.features, plugin: "lin-ts")
    arms = RidgeArms(
      arms: context.perAdStateCount, dimension: contexts.dimension, regularization: params.regularization)
    stream = RandomStream(key: context.key.child("lin-ts"))
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let n = batch.count, k = batch.candidateCount, slots = batch.slotCount
    let (means, widths) = arms.meansAndWidths(contexts.matrix(batch), batch: batch)
    let sds = widths.map { scale * $0.squareRoot() }
    var draws = [Double](repeating: 0, count: k)
    var stream = self.stream
    defer { self.stream = stream }
    for i in 0..<n {
      let base = i * slots
      if slots == 1 {
        var best = 0, top = -Double.infinity
        for a in 0..<k {
          let draw = means[i * k + a] + sds[i * k + a] * stream.normal()
          if draw > top {
            top = draw
            best = a
          }
        }
        actions[i] = Int32(best)
      } else {
        for a in 0..<k { draws[a] = means[i * k + a] + sds[i * k + a] * stream.normal() }
        draws.withUnsafeBufferPointer { row in
          SlotRanking.fillTop(row, slots: slots, actions, base: base, propensities: nil, stream: &stream)
        }
      }
      if let propensities {
        let row = (i * k)..<((i + 1) * k)
        let probabilities = NormalArgmaxProbabilities.compute(means: Array(means[row]), sds: Array(sds[row]))
        for s in 0..<slots {
          let a = actions[base + s]
          propensities[base + s] = a == DecisionBatch.noAd ? 1 : (s == 0 ? probabilities[Int(a)] : .nan)
        }
      }
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    arms.record(contexts: contexts.matrix(batch), shown: feedback.shown(batch, actions: actions, rewards: rewards))
  }
}

/// The probability that each of several independent normal variables is the largest,
/// `P(k) = ∫ φ_k(s) Π_{j≠k} Φ_j(s) ds`, by 8-point Gauss–Legendre on panels of μ_k ± 9σ_k cut at μ_k ± 1, 3 σ_k
/// and at the other variables' μ ± 9σ and μ (the same scheme as `BetaArgmaxProbabilities`). A variable with
/// σ = 0 is a point mass: it wins with probability Π_j P(X_j < μ), exactly.
enum NormalArgmaxProbabilities {
  static func compute(means: [Double], sds: [Double]) -> [Double] {
    let k = means.count
    guard k > 1 else { return [1] }
    if sds.allSatisfy({ $0 == 0 }) {
      let top = means.max() ?? 0
      let winners = Double(means.filter { $0 == top }.count)
      return means.map { $0 == top ? 1 / winners : 0 }
    }
    let rule = BetaArgmaxProbabilities.rule
    let lows = means.indices.map { means[$0] - 9 * sds[$0] }, highs = means.indices.map { means[$0] + 9 * sds[$0] }
    func cdf(_ x: Double, _ j: Int) -> Double {
      sds[j] == 0 ? (x >= means[j] ? 1 : 0) : 0.5 * AdLabMath.erfc(-(x - means[j]) / (sds[j] * 2.0.squareRoot()))
    }
    var probabilities = [Double](repeating: 0, count: k)
    for a in 0..<k where sds[a] == 0 {
      probabilities[a] = (0..<k).reduce(1.0) { product, j in
        j == a ? product : product * (sds[j] == 0 ? (means[j] < means[a] ? 1 : 0) : cdf(means[a], j))
      }
    }
    for a in 0..<k where sds[a] > 0 {
      let cuts =
        [lows[a], highs[a]] + [-3.0, -1.0, 1.0, 3.0].map { means[a] + $0 * sds[a] }
        + (0..<k).filter { $0 != a }.flatMap { [lows[$0], means[$0], highs[$0]] }
      let edges = Array(Set(cuts.filter { $0 >= lows[a] && $0 <= highs[a] })).sorted()
      var total = 0.0
      for (start, end) in zip(edges, edges.dropFirst()) {
        let half = (end - start) / 2, mid = (end + start) / 2
        for (node, weight) in zip(rule.nodes, rule.weights) {
          let x = mid + half * node
          let z = (x - means[a]) / sds[a]
          var density = AdLabMath.exp(-0.5 * z * z) / (sds[a] * (2 * Double.pi).squareRoot())
          for j in 0..<k where j != a { density *= cdf(x, j) }
          total += weight * density * half
        }
      }
      probabilities[a] = total
    }
    let sum = probabilities.reduce(0, +)
    guard sum > 0, sum.isFinite else { return [Double](repeating: 1 / Double(k), count: k) }
    return probabilities.map { $0 / sum }
  }
}
