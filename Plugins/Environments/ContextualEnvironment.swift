import AdLabCore
import AdLabTensor
import Foundation

/// A synthetic contextual bandit whose ground truth is known exactly, so regret and the best achievable
/// ranking quality can be computed: each decision serves a user feature vector x (dense, `dimension` wide),
/// and ad a is clicked with probability
///
/// ```
/// linear:    p(a | x) = θ_a · x                         x on the simplex, θ_a ∈ [0, 1]^d, so p ∈ [0, 1]
/// logistic:  p(a | x) = σ(scale · θ_a · x + b_a + nonlinearity · sin(3 · u_a · x))
/// ```
/// θ_a, b_a and u_a are drawn once per replication. The sine term is a component no linear model can
/// represent (a deep model can). Features: user dense `x`, ad categorical `ad_id`, ad dense `ad_vector`
/// (θ_a, so a two-tower or shared-weight model can generalise across ads).
public final class ContextualEnvironment: Environment {
  public struct Params: PluginParameters {
    public var arms = 10
    public var dimension = 16
    public var link = "linear"
    public var scale = 4.0
    public var nonlinearity = 0.0
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("arms", \.arms, doc: "number of ads", .range(2...10_000)),
        .init("dimension", \.dimension, doc: "width d of the user feature vector", .range(1...4096)),
        .init("link", \.link, doc: "linear: p = θ·x on the simplex; logistic: p = σ(scale·θ·x + b + nonlinear term)", .oneOf(["linear", "logistic"])),
        .init("scale", \.scale, doc: "logistic only: multiplies θ·x, so larger means more predictable clicks", .range(0...100)),
        .init("nonlinearity", \.nonlinearity, doc: "logistic only: weight of the sin(3·u·x) term no linear model can fit", .range(0...10)),
      ]
    }
    public func crossFieldProblems() -> [String] {
      link == "linear" && nonlinearity > 0 ? ["nonlinearity needs link: logistic (a linear link must stay in [0, 1])"] : []
    }
  }

  public let candidateCount: Int
  public var outcomeColumns: OutcomeColumns { .clicks }
  public var hasOracle: Bool { true }
  public let featureSchema: FeatureSchema

  private let params: Params
  private let d: Int
  /// θ (arms × d), u (arms × d), b (arms).
  private let theta: [Double], u: [Double], bias: [Double]
  private let userKey: StreamKey, clickKey: StreamKey

  public init(_ params: Params, context: PluginContext) {
    self.params = params
    d = params.dimension
    candidateCount = params.arms
    featureSchema = FeatureSchema(
      categorical: [.init("ad_id", side: .ad, cardinality: params.arms)],
      dense: [.init("x", side: .user, width: params.dimension), .init("ad_vector", side: .ad, width: params.dimension)])
    var truth = RandomStream(key: context.key.child("truth"))
    let k = params.arms, d = params.dimension
    if params.link == "linear" {
      theta = (0..<(k * d)).map { _ in truth.uniform() }
    } else {
      theta = (0..<(k * d)).map { _ in truth.normal() / Double(d).squareRoot() * 2 }
    }
    u = (0..<(k * d)).map { _ in truth.normal() }
    bias = (0..<k).map { _ in params.link == "linear" ? 0 : truth.normal(mean: -1.5, sd: 0.5) }
    userKey = context.key.child("users")
    clickKey = context.key.child("clicks")
  }

  /// The user vector of a step: counter-based, so every variant sees the same users.
  private func user(step: Int, into x: UnsafeMutableBufferPointer<Double>) {
    CounterRandom.uniforms(key: userKey, a: UInt64(step), count: d, into: x)
    if params.link == "linear" {
      // Normalised exponentials are uniform on the simplex (a flat Dirichlet).
      var total = 0.0
      for i in 0..<d {
        x[i] = -log(1 - x[i])
        total += x[i]
      }
      for i in 0..<d { x[i] /= total }
    } else {
      for i in 0..<d { x[i] = 2 * x[i] - 1 }
    }
  }

  private func probability(ad: Int, x: UnsafeMutableBufferPointer<Double>) -> Double {
    var dot = 0.0, wave = 0.0
    for i in 0..<d {
      dot += theta[ad * d + i] * x[i]
      wave += u[ad * d + i] * x[i]
    }
    if params.link == "linear" { return min(max(dot, 0), 1) }
    let z = params.scale * dot + bias[ad] + params.nonlinearity * sin(3 * wave)
    return 1 / (1 + exp(-z))
  }

  public func nextBatch(firstStep: Int, count: Int) -> DecisionBatch {
    let k = candidateCount
    var features = FeatureBatch()
    features.decisionDense = [Float](repeating: 0, count: count * d)
    features.candidateCategorical = [UInt64](repeating: 0, count: count * k)
    features.candidateDense = [Float](repeating: 0, count: count * k * d)
    var x = [Double](repeating: 0, count: d)
    x.withUnsafeMutableBufferPointer { x in
      for i in 0..<count {
        user(step: firstStep + i, into: x)
        for j in 0..<d { features.decisionDense[i * d + j] = Float(x[j]) }
        for a in 0..<k {
          features.candidateCategorical[i * k + a] = UInt64(a)
          for j in 0..<d { features.candidateDense[(i * k + a) * d + j] = Float(theta[a * d + j]) }
        }
      }
    }
    let steps = Array(firstStep..<(firstStep + count))
    return DecisionBatch(steps: steps, userIDs: steps.map { UInt64($0) }, candidateCount: k, schema: featureSchema, features: features)
  }

  public func resolve(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, into outcomes: inout OutcomeBatch) {
    var x = [Double](repeating: 0, count: d)
    x.withUnsafeMutableBufferPointer { x in
      for i in 0..<batch.count {
        let step = batch.steps[i], ad = Int(actions[i])
        user(step: step, into: x)
        outcomes.impressions[i] = 1
        outcomes.clicks[i] = CounterRandom.uniform(key: clickKey, UInt64(step), UInt64(ad)) < probability(ad: ad, x: x) ? 1 : 0
      }
    }
  }

  public func expectedOutcomes(_ batch: DecisionBatch, into outcomes: inout OutcomeBatch) {
    let k = candidateCount
    var x = [Double](repeating: 0, count: d)
    x.withUnsafeMutableBufferPointer { x in
      for i in 0..<batch.count {
        user(step: batch.steps[i], into: x)
        for a in 0..<k {
          outcomes.impressions[i * k + a] = 1
          outcomes.clicks[i * k + a] = probability(ad: a, x: x)
        }
      }
    }
  }
}
