import AdLabCore
import AdLabTensor
import Foundation

/// LinUCB (Li, Chu, Langford & Schapire 2010), disjoint or hybrid.
///
/// Disjoint: one ridge regression per ad on the user context x (chosen dense features + intercept),
/// ```
/// score(a) = θ_aᵀ x + α · sqrt(xᵀ A_a⁻¹ x)
/// ```
/// Hybrid (their Algorithm 2) adds a model shared by all ads on the candidate's own features z
/// (`shared_features`, ad-side dense features):
/// ```
/// score(a) = zᵀ β + xᵀ θ_a + α · sqrt((z − w)ᵀ A₀⁻¹ (z − w) + xᵀ A_a⁻¹ x),   w = B_aᵀ A_a⁻¹ x
/// A₀ = λI + Σ z zᵀ − Σ_a B_aᵀ A_a⁻¹ B_a,   b₀ = Σ r z − Σ_a B_aᵀ A_a⁻¹ b_a,   β = A₀⁻¹ b₀,   θ_a = A_a⁻¹ (b_a − B_a β)
/// ```
/// (the paper's incremental A₀ updates telescope to these sums, so they are recomputed once per batch).
/// Scores are fixed within a batch (feedback is batched); ties are broken uniformly at random, so the
/// propensity of a choice is 1 / ties.
/// Models are per ad id when the batch has candidate ids. With S slots the S highest scores fill the slots (best
/// in slot 0); each slot's propensity is 1 / (size of its ad's tie group), exact.
public final class LinUCBPolicy: Policy {
  public struct Params: PluginParameters {
    public var alpha = 1.0
    public var regularization = 1.0
    /// One model per ad, or plus a model shared across ads (see the `mode` field).
    public enum Mode: String, EnumParameter {
      case disjoint, hybrid
    }

    public var mode = Mode.disjoint
    public var features: [String] = []
    public var sharedFeatures: [String] = []
    public var learnFrom = SlotFeedback.all
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("alpha", \.alpha, doc: "width of the confidence bound added to the predicted reward", .range(0...100)),
        .init(
          "regularization", \.regularization, doc: "ridge penalty λ (prior precision of every weight)", .greaterThan(0)),
        .init("mode", \.mode, doc: "disjoint: one model per ad; hybrid: plus a model shared across ads on ad features"),
        .init("features", \.features, doc: "user/context dense features forming x; empty takes all of them"),
        .init(
          "shared_features", \.sharedFeatures,
          doc: "hybrid only: ad-side dense features forming z; empty takes all of them"),
        SlotFeedback.field(\.learnFrom, updating: "models"),
      ]
    }
  }

  private let alpha: Double
  private let feedback: SlotFeedback
  private let contexts: ContextVectors
  private var arms: RidgeArms
  private var stream: RandomStream
  private let hybrid: HybridState?

  public init(_ params: Params, context: PluginContext) throws {
    alpha = params.alpha
    feedback = params.learnFrom
    contexts = try ContextVectors(schema: context.featureSchema, names: params.features, plugin: "linucb")
    arms = RidgeArms(
      arms: context.perAdStateCount, dimension: contexts.dimension, regularization: params.regularization)
    stream = RandomStream(key: context.key.child("linucb"))
    hybrid =
      params.mode == .hybrid
      ? try HybridState(
        schema: context.featureSchema, names: params.sharedFeatures, arms: context.perAdStateCount,
        dimension: contexts.dimension, regularization: params.regularization)
      : nil
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let n = batch.count, k = batch.candidateCount, slots = batch.slotCount
    let x = contexts.matrix(batch)
    var scores: [Double]
    if let hybrid {
      scores = hybrid.scores(contexts: x, batch: batch, arms: arms, alpha: alpha)
    } else {
      let (means, widths) = arms.meansAndWidths(x, batch: batch)
      scores = zip(means, widths).map { $0 + alpha * $1.squareRoot() }
    }
    scores.withUnsafeBufferPointer { all in
      for i in 0..<n {
        SlotRanking.fillTop(
          UnsafeBufferPointer(rebasing: all[(i * k)..<((i + 1) * k)]), slots: slots, actions, base: i * slots,
          propensities: propensities, stream: &stream)
      }
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    let x = contexts.matrix(batch)
    let shown = feedback.shown(batch, actions: actions, rewards: rewards)
    if let hybrid {
      hybrid.record(contexts: x, batch: batch, shown: shown, arms: &arms)
    } else {
      arms.record(contexts: x, shown: shown)
    }
  }
}

/// The shared part of hybrid LinUCB: B_a per ad, and the sums Σ z zᵀ, Σ r z from which A₀ and b₀ follow.
final class HybridState {
  let ranges: [Range<Int>]
  let k: Int, d: Int, arms: Int
  let regularization: Double
  var cross: [[Double]]  // B_a, d × k
  var zz: [Double]  // Σ z zᵀ, k × k
  var rz: [Double]  // Σ r z
  var inverseA0: [Double]
  var beta: [Double]
  var theta: [[Double]]

  init(schema: FeatureSchema, names: [String], arms: Int, dimension: Int, regularization: Double) throws {
    let available = schema.candidateDense.map(\.name)
    let chosen = names.isEmpty ? available : names
    guard !chosen.isEmpty else {
      throw PluginError.invalidParameters(
        "linucb: hybrid mode needs ad-side dense features, and the environment serves none; use mode: disjoint")
    }
    ranges = try chosen.map { name in
      guard available.contains(name), let range = schema.columns(of: name) else {
        throw PluginError.invalidParameters(
          "linucb: the environment serves no ad-side dense feature '\(name)'; it serves: "
            + available.joined(separator: ", "))
      }
      return range
    }
    k = ranges.reduce(0) { $0 + $1.count }
    d = dimension
    self.arms = arms
    self.regularization = regularization
    cross = Array(repeating: Array(repeating: 0, count: dimension * k), count: arms)
    zz = [Double](repeating: 0, count: k * k)
    rz = [Double](repeating: 0, count: k)
    inverseA0 = [Double](repeating: 0, count: k * k)
    for i in 0..<k { inverseA0[i * k + i] = 1 / regularization }
    beta = rz
    theta = Array(repeating: Array(repeating: 0, count: dimension), count: arms)
  }

  /// z of candidate `a` of decision `i`.
  func shared(_ batch: DecisionBatch, decision i: Int, candidate a: Int) -> [Double] {
    let width = batch.schema.candidateDenseWidth
    let row = (i * batch.candidateCount + a) * width
    return ranges.flatMap { range in range.map { Double(batch.features.candidateDense[row + $0]) } }
  }

  func scores(contexts x: [Double], batch: DecisionBatch, arms ridge: RidgeArms, alpha: Double) -> [Double] {
    let candidates = batch.candidateCount
    var out = [Double](repeating: 0, count: batch.count * candidates)
    for i in 0..<batch.count {
      for candidate in 0..<candidates {
        let a = batch.adID(decision: i, candidate: candidate)
        let z = shared(batch, decision: i, candidate: candidate)
        let inverse = ridge.inverses[a]
        var u = [Double](repeating: 0, count: d)
        var mean = 0.0, width = 0.0
        for r in 0..<d {
          var sum = 0.0
          for c in 0..<d { sum += inverse[r * d + c] * x[i * d + c] }
          u[r] = sum
          width += sum * x[i * d + r]
          mean += theta[a][r] * x[i * d + r]
        }
        var v = [Double](repeating: 0, count: k)
        for j in 0..<k {
          var w = 0.0
          for r in 0..<d { w += cross[a][r * k + j] * u[r] }
          v[j] = z[j] - w
          mean += beta[j] * z[j]
        }
        for r in 0..<k {
          var sum = 0.0
          for c in 0..<k { sum += inverseA0[r * k + c] * v[c] }
          width += v[r] * sum
        }
        out[i * candidates + candidate] = mean + alpha * max(width, 0).squareRoot()
      }
    }
    return out
  }

  func record(contexts x: [Double], batch: DecisionBatch, shown: [ShownAd], arms ridge: inout RidgeArms) {
    for entry in shown {
      let a = entry.ad, i = entry.decision
      let z = shared(batch, decision: i, candidate: entry.candidate)
      for r in 0..<d {
        for j in 0..<k { cross[a][r * k + j] += x[i * d + r] * z[j] }
      }
      for r in 0..<k {
        rz[r] += entry.reward * z[r]
        for c in 0..<k { zz[r * k + c] += z[r] * z[c] }
      }
    }
    ridge.record(contexts: x, shown: shown)
    // A₀ = λI + Σ z zᵀ − Σ_a B_aᵀ A_a⁻¹ B_a and b₀ = Σ r z − Σ_a B_aᵀ A_a⁻¹ b_a.
    var a0 = zz, b0 = rz
    for i in 0..<k { a0[i * k + i] += regularization }
    for arm in 0..<arms {
      let inverse = ridge.inverses[arm], b = cross[arm]
      var inverseB = [Double](repeating: 0, count: d * k)  // A_a⁻¹ B_a
      var inverseTargets = [Double](repeating: 0, count: d)  // A_a⁻¹ b_a
      for r in 0..<d {
        for c in 0..<d {
          let m = inverse[r * d + c]
          for j in 0..<k { inverseB[r * k + j] += m * b[c * k + j] }
          inverseTargets[r] += m * ridge.targets[arm][c]
        }
      }
      for p in 0..<k {
        for q in 0..<k {
          var sum = 0.0
          for r in 0..<d { sum += b[r * k + p] * inverseB[r * k + q] }
          a0[p * k + q] -= sum
        }
        var sum = 0.0
        for r in 0..<d { sum += b[r * k + p] * inverseTargets[r] }
        b0[p] -= sum
      }
    }
    if let inverse = Cholesky.inverse(a0, size: k) { inverseA0 = inverse }
    for p in 0..<k {
      var sum = 0.0
      for q in 0..<k { sum += inverseA0[p * k + q] * b0[q] }
      beta[p] = sum
    }
    // θ_a = A_a⁻¹ (b_a − B_a β).
    for arm in 0..<arms {
      var residual = ridge.targets[arm]
      for r in 0..<d {
        for j in 0..<k { residual[r] -= cross[arm][r * k + j] * beta[j] }
      }
      for r in 0..<d {
        var sum = 0.0
        for c in 0..<d { sum += ridge.inverses[arm][r * d + c] * residual[c] }
        theta[arm][r] = sum
      }
    }
  }
}
