import AdLabCore
import AdLabTensor
import Foundation

/// Thompson sampling over a Bayesian logistic click model with a Laplace approximation (Chapelle & Li 2011,
/// "An Empirical Evaluation of Thompson Sampling", Algorithm 3, as used for display advertising).
///
/// The model is a hashed logistic regression (`HashedFeatures`: every categorical id, every dense value, and
/// ad × user-feature crosses) whose weights have a diagonal Gaussian posterior N(m_i, 1/q_i). After each
/// batch, with labels t ∈ {0, 1}:
/// ```
/// w = argmin ½ Σ_i q_i (w_i − m_i)² + Σ_j logloss(σ(wᵀx_j), t_j)
/// m = w,   q_i += Σ_j x_ij² p_j (1 − p_j),   p_j = σ(wᵀx_j)
/// ```
/// The minimisation takes fixed majorise-minimise steps w −= g / D with D = q + ¼ · s · Σ_j x_ij² (s = most
/// features in a row): Böhning's bound on the logistic curvature, which with correlated features keeps every
/// step downhill, where a plain diagonal Newton step overshoots and diverges.
/// Each decision draws one weight vector w̃ ~ N(m, diag(1/q)) (only the touched coordinates, shared by all
/// candidates of the decision) and shows the candidate with the highest w̃ᵀx. Propensities, when asked, are
/// Monte Carlo estimates from `propensity_samples` further draws (with a floor of 1 / (samples + 1)).
/// With S slots the S highest sampled scores fill the slots, and each slot's propensity is the Monte Carlo share of
/// draws that put the same ad in the same slot. In context-free batches with candidate ids the ad id is the feature.
public final class ModelThompsonPolicy: Policy {
  public struct Params: PluginParameters {
    public var regularization = 1.0
    public var buckets = 1 << 16
    public var crosses = true
    public var newtonSteps = 10
    public var propensitySamples = 256
    public var learnFrom = SlotFeedback.all
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("regularization", \.regularization, doc: "prior precision of every weight", .greaterThan(0)),
        .init("buckets", \.buckets, doc: "size of the hashed weight vector", .range(16...(1 << 24))),
        .init("crosses", \.crosses, doc: "add ad × user-feature crosses (per-ad weights on the user's dense features)"),
        .init("newton_steps", \.newtonSteps, doc: "majorise-minimise iterations per batch update", .range(1...100)),
        .init(
          "propensity_samples", \.propensitySamples,
          doc: "posterior draws per decision for Monte Carlo propensities (when asked)", .range(16...100_000)),
        SlotFeedback.field(\.learnFrom, updating: "posterior"),
      ]
    }
  }

  private let params: Params
  private let feedback: SlotFeedback
  private let hashing: HashedFeatures
  private var mean: [Double]
  private var precision: [Double]
  private var stream: RandomStream
  /// Monte Carlo propensity draws come from their own stream, so asking for propensities never changes the choices.
  private var propensityStream: RandomStream
  private var scratch: [(Int, Double)] = []

  public init(_ params: Params, context: PluginContext) {
    self.params = params
    feedback = params.learnFrom
    hashing = HashedFeatures(
      buckets: params.buckets, seed: StreamKey(seed: 0).child("hash").rawValue ^ context.key.rawValue,
      crosses: params.crosses)
    mean = [Double](repeating: 0, count: params.buckets)
    precision = [Double](repeating: params.regularization, count: params.buckets)
    stream = RandomStream(key: context.key.child("model-thompson"))
    propensityStream = RandomStream(key: context.key.child("model-thompson-propensities"))
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let k = batch.candidateCount, slots = batch.slotCount
    var rows = [[(Int, Double)]](repeating: [], count: k)
    var draw: [Int: Double] = [:]
    var scores = [Double](repeating: 0, count: k)
    var ranking = [Int32](repeating: DecisionBatch.noAd, count: slots)
    var wins = [Int](repeating: 0, count: slots)
    for i in 0..<batch.count {
      for a in 0..<k {
        hashing.features(batch, decision: i, candidate: a, into: &scratch)
        rows[a] = scratch
      }
      let base = i * slots
      sampleScores(rows, draw: &draw, into: &scores, stream: &stream)
      ranking.withUnsafeMutableBufferPointer { SlotRanking.fillTopByIndex(scores, slots: slots, $0, base: 0) }
      for s in 0..<slots { actions[base + s] = ranking[s] }
      if let propensities {
        // Monte Carlo: how often further posterior draws put the chosen ad in the same slot.
        for s in 0..<slots { wins[s] = 0 }
        for _ in 0..<params.propensitySamples {
          sampleScores(rows, draw: &draw, into: &scores, stream: &propensityStream)
          ranking.withUnsafeMutableBufferPointer { SlotRanking.fillTopByIndex(scores, slots: slots, $0, base: 0) }
          for s in 0..<slots where ranking[s] == actions[base + s] { wins[s] += 1 }
        }
        for s in 0..<slots {
          propensities[base + s] =
            actions[base + s] == DecisionBatch.noAd
            ? 1 : max(Double(wins[s]), 1) / Double(params.propensitySamples + 1)
        }
      }
    }
  }

  /// One posterior draw of the touched weights, shared by the decision's candidates: every candidate's score.
  private func sampleScores(
    _ rows: [[(Int, Double)]], draw: inout [Int: Double], into scores: inout [Double], stream: inout RandomStream
  ) {
    draw.removeAll(keepingCapacity: true)
    for (a, row) in rows.enumerated() {
      var score = 0.0
      for (index, value) in row {
        let weight: Double
        if let w = draw[index] {
          weight = w
        } else {
          weight = mean[index] + stream.normal() / precision[index].squareRoot()
          draw[index] = weight
        }
        score += weight * value
      }
      scores[a] = score
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    let shown = feedback.shown(batch, actions: actions, rewards: rewards)
    let n = shown.count
    var rows: [[(Int, Double)]] = []
    rows.reserveCapacity(n)
    for entry in shown {
      hashing.features(batch, decision: entry.decision, candidate: entry.candidate, into: &scratch)
      rows.append(scratch)
    }
    let labels = shown.map { $0.reward > 0 ? 1.0 : 0.0 }
    let touched = Array(Set(rows.joined().map(\.0))).sorted()
    var weights = mean
    var gradient = [Double](repeating: 0, count: params.buckets), bound = gradient
    let widest = Double(rows.map(\.count).max() ?? 1)
    for i in touched { bound[i] = precision[i] }
    for row in rows {
      for (index, value) in row { bound[index] += 0.25 * widest * value * value }
    }
    for _ in 0..<params.newtonSteps {
      for i in touched { gradient[i] = precision[i] * (weights[i] - mean[i]) }
      for (row, label) in zip(rows, labels) {
        let p = 1 / (1 + AdLabMath.exp(-row.reduce(0.0) { $0 + weights[$1.0] * $1.1 }))
        for (index, value) in row { gradient[index] += (p - label) * value }
      }
      for i in touched { weights[i] -= gradient[i] / bound[i] }
    }
    for row in rows {
      let p = 1 / (1 + AdLabMath.exp(-row.reduce(0.0) { $0 + weights[$1.0] * $1.1 }))
      for (index, value) in row { precision[index] += value * value * p * (1 - p) }
    }
    for i in touched { mean[i] = weights[i] }
  }
}
