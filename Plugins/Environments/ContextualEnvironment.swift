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
///
/// **Behaviour history** (`history: N > 0`, logistic link): a catalogue of `items` items in `clusters` clusters,
/// each item with a unit vector e_i near its cluster's centre (16-dimensional; the first 16 centres orthonormal,
/// so items of different clusters are nearly unrelated). Each user has two favourite clusters; their
/// history is N/2…N recently viewed items, 80% from the favourites. Ad a is item a + 1 (served as `ad_item`,
/// the history as sequence `history`), and the logit gains
/// ```
/// history_weight · max_j ⟨e_{item(a)}, e_{h_j}⟩
/// ```
/// the similarity of the ad to the user's closest past item: candidate-specific and not additive over the
/// history, so attention over the sequence (DIN) can fit it and sum pooling cannot.
///
/// **Conversions** (`conversions: true`): after a click, a conversion with p(conv | click, a, x) = σ(γ_a · x + c_a).
public final class ContextualEnvironment: Environment {
  public struct Params: PluginParameters {
    public var arms = 10
    public var dimension = 16
    /// The click model's link (see the `link` field).
    public enum Link: String, EnumParameter {
      case linear, logistic
    }

    public var link = Link.linear
    public var scale = 4.0
    public var nonlinearity = 0.0
    public var history = 0
    public var items = 1000
    public var clusters = 10
    public var historyWeight = 3.0
    public var conversions = false
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("arms", \.arms, doc: "number of ads", .range(2...10_000)),
        .init("dimension", \.dimension, doc: "width d of the user feature vector", .range(1...4096)),
        .init("link", \.link, doc: "linear: p = θ·x on the simplex; logistic: p = σ(scale·θ·x + b + nonlinear term)"),
        .init(
          "scale", \.scale, doc: "logistic only: multiplies θ·x, so larger means more predictable clicks",
          .range(0...100)),
        .init(
          "nonlinearity", \.nonlinearity, doc: "logistic only: weight of the sin(3·u·x) term no linear model can fit",
          .range(0...10)),
        .init(
          "history", \.history,
          doc: "length N of each user's behaviour sequence of viewed items (0: none); logistic only", .range(0...1000)),
        .init("items", \.items, doc: "history: items in the catalogue (ad a is item a + 1)", .range(2...1_000_000)),
        .init("clusters", \.clusters, doc: "history: clusters of similar items", .range(1...10_000)),
        .init(
          "history_weight", \.historyWeight,
          doc: "history: weight of max_j sim(ad's item, history item j) in the logit", .range(0...20)),
        .init("conversions", \.conversions, doc: "draw conversions after clicks, p = σ(γ_a·x + c_a)"),
      ]
    }
    public func crossFieldProblems() -> [String] {
      var problems: [String] = []
      if link == .linear && nonlinearity > 0 {
        problems.append("nonlinearity needs link: logistic (a linear link must stay in [0, 1])")
      }
      if link == .linear && history > 0 {
        problems.append("history needs link: logistic (a linear link must stay in [0, 1])")
      }
      if history > 0 && items < arms {
        problems.append("items (\(items)) must be at least arms (\(arms)): ad a is item a + 1")
      }
      if history > 0 && items < clusters {
        problems.append("items (\(items)) must be at least clusters (\(clusters)): every cluster needs an item")
      }
      return problems
    }
  }

  public let candidateCount: Int
  public var outcomeColumns: OutcomeColumns { params.conversions ? [.clicks, .conversions] : .clicks }
  public var hasOracle: Bool { true }
  /// The features served for `params` (declared on the registry entry too, for spec-time checks).
  static func schema(_ params: Params) -> FeatureSchema {
    var categorical: [FeatureSchema.Categorical] = [.init("ad_id", side: .ad, cardinality: params.arms)]
    var sequences: [FeatureSchema.Sequence] = []
    if params.history > 0 {
      categorical.append(.init("ad_item", side: .ad, cardinality: params.items))
      sequences.append(.init("history", maxLength: params.history, vocabulary: params.items))
    }
    return FeatureSchema(
      categorical: categorical,
      dense: [
        .init("x", side: .user, width: params.dimension), .init("ad_vector", side: .ad, width: params.dimension),
      ],
      sequences: sequences)
  }

  public let featureSchema: FeatureSchema

  private let params: Params
  private let d: Int
  /// θ (arms × d), u (arms × d), b (arms).
  private let theta: [Double], u: [Double], bias: [Double]
  private let userKey: StreamKey, clickKey: StreamKey
  /// History: item vectors (items × `itemWidth`, row i − 1 for item i) and the sequence's stream.
  private let itemVectors: [Double], historyKey: StreamKey
  private static let itemWidth = 16
  /// Conversions: γ (arms × d), c (arms), and their noise.
  private let gamma: [Double], conversionBias: [Double], conversionKey: StreamKey
  /// θ rounded to Float once (arms × d): the `ad_vector` rows copied into every decision of a batch.
  private let thetaFloat: [Float]
  /// θ and u transposed (d × arms, `[j · arms + a]`), so the oracle's dot products of one user with every ad run
  /// side by side across ads, each summed over j in the same order as the per-ad loop.
  private let thetaByFeature: [Double], uByFeature: [Double]
  /// The user vectors of the last served batch, row `step − usersFirstStep`: `expectedOutcomes` and `resolve`
  /// of that batch read them instead of drawing them again (a third of the work). A user vector is a pure
  /// function of its step, so the cache changes no result; a step outside it is drawn as before.
  private var users: [Double] = []
  private var usersFirstStep = 0, usersCount = 0

  public init(_ params: Params, context: PluginContext) {
    self.params = params
    d = params.dimension
    candidateCount = params.arms
    featureSchema = Self.schema(params)
    var truth = RandomStream(key: context.key.child("truth"))
    let k = params.arms, d = params.dimension
    let thetaValues: [Double]
    if params.link == .linear {
      thetaValues = (0..<(k * d)).map { _ in truth.uniform() }
    } else {
      thetaValues = (0..<(k * d)).map { _ in truth.normal() / Double(d).squareRoot() * 2 }
    }
    let uValues = (0..<(k * d)).map { _ in truth.normal() }
    theta = thetaValues
    u = uValues
    thetaFloat = thetaValues.map { Float($0) }
    thetaByFeature = (0..<(d * k)).map { thetaValues[($0 % k) * d + $0 / k] }
    uByFeature = (0..<(d * k)).map { uValues[($0 % k) * d + $0 / k] }
    bias = (0..<k).map { _ in params.link == .linear ? 0 : truth.normal(mean: -1.5, sd: 0.5) }
    userKey = context.key.child("users")
    clickKey = context.key.child("clicks")
    historyKey = context.key.child("history")
    conversionKey = context.key.child("conversions")
    var vectors: [Double] = []
    if params.history > 0 {
      var stream = RandomStream(key: context.key.child("items"))
      let w = Self.itemWidth
      // Orthonormal centres (basis vectors) for the first `w` clusters, random directions beyond.
      let centres = (0..<(params.clusters * w)).map { j in j / w < w ? (j % w == j / w ? 1.0 : 0.0) : stream.normal() }
      vectors.reserveCapacity(params.items * w)
      for i in 0..<params.items {
        let c = i % params.clusters
        let v = (0..<w).map { j in centres[c * w + j] + 0.1 * stream.normal() }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        vectors.append(contentsOf: v.map { $0 / norm })
      }
    }
    itemVectors = vectors
    var conversionTruth = RandomStream(key: context.key.child("conversion-truth"))
    gamma = params.conversions ? (0..<(k * d)).map { _ in conversionTruth.normal() / Double(d).squareRoot() * 2 } : []
    conversionBias = params.conversions ? (0..<k).map { _ in conversionTruth.normal(mean: -1, sd: 0.5) } : []
  }

  /// The history of the user at `step`: item ids (1-based) into `items`, most recent first; returns the length.
  private func history(step: Int, into items: UnsafeMutableBufferPointer<Int>) -> Int {
    let n = params.history, c = params.clusters
    let s = UInt64(step)
    let favourite = (
      Int(CounterRandom.uniform(key: historyKey, s, 0) * Double(c)),
      Int(CounterRandom.uniform(key: historyKey, s, 1) * Double(c))
    )
    let length = max(1, n / 2 + Int(CounterRandom.uniform(key: historyKey, s, 2) * Double(n - n / 2 + 1)))
    for j in 0..<min(length, n) {
      let b = UInt64(3 + 3 * j)
      let v = CounterRandom.uniform(key: historyKey, s, b + 1)
      let cluster =
        CounterRandom.uniform(key: historyKey, s, b) < 0.8 ? (v < 0.5 ? favourite.0 : favourite.1) : Int(v * Double(c))
      let members = (params.items - cluster + c - 1) / c
      items[j] = cluster + c * Int(CounterRandom.uniform(key: historyKey, s, b + 2) * Double(members)) + 1
    }
    return min(length, n)
  }

  /// max_j ⟨e_{item(ad)}, e_{h_j}⟩ over the history.
  private func closestSimilarity(ad: Int, history items: UnsafeMutableBufferPointer<Int>, length: Int) -> Double {
    let w = Self.itemWidth
    var best = -Double.infinity
    for j in 0..<length {
      var dot = 0.0
      for t in 0..<w { dot += itemVectors[ad * w + t] * itemVectors[(items[j] - 1) * w + t] }
      best = max(best, dot)
    }
    return best
  }

  private func conversionProbability(ad: Int, x: UnsafeBufferPointer<Double>) -> Double {
    var dot = conversionBias[ad]
    for i in 0..<d { dot += gamma[ad * d + i] * x[i] }
    return 1 / (1 + AdLabMath.exp(-dot))
  }

  /// Runs `body(x, length)` with the user vector of `step` (from the cache of the last batch when it holds the
  /// step, else drawn into `scratch`) and its history in `items`.
  private func withUser<R>(
    step: Int, cache: UnsafeBufferPointer<Double>, _ scratch: UnsafeMutableBufferPointer<Double>,
    _ items: UnsafeMutableBufferPointer<Int>, _ body: (UnsafeBufferPointer<Double>, Int) -> R
  ) -> R {
    let length = params.history > 0 ? history(step: step, into: items) : 0
    let row = step &- usersFirstStep
    if row >= 0 && row < usersCount {
      return body(UnsafeBufferPointer(rebasing: cache[(row * d)..<((row + 1) * d)]), length)
    }
    user(step: step, into: scratch)
    return body(UnsafeBufferPointer(scratch), length)
  }

  /// The user vector of a step: counter-based, so every variant sees the same users.
  private func user(step: Int, into x: UnsafeMutableBufferPointer<Double>) {
    CounterRandom.uniforms(key: userKey, a: UInt64(step), count: d, into: x)
    shapeUser(x)
  }

  /// Turns a row of uniforms into the user vector, in place.
  private func shapeUser(_ x: UnsafeMutableBufferPointer<Double>) {
    if params.link == .linear {
      for i in 0..<d { x[i] = -AdLabMath.log(1 - x[i]) }
      normalise(x)
    } else {
      for i in 0..<d { x[i] = 2 * x[i] - 1 }
    }
  }

  /// Rows of uniforms into user vectors, in place: as `shapeUser` row by row, with the logarithms of the whole
  /// batch in one call on vector lanes (`AdLabMath.log(_:into:)`, the same bits).
  private func shapeUsers(_ users: UnsafeMutableBufferPointer<Double>, count: Int) {
    guard params.link == .linear else {
      for i in 0..<(count * d) { users[i] = 2 * users[i] - 1 }
      return
    }
    let all = UnsafeMutableBufferPointer(rebasing: users[0..<(count * d)])
    for i in all.indices { all[i] = 1 - all[i] }
    AdLabMath.log(UnsafeBufferPointer(all), into: all)
    for i in all.indices { all[i] = -all[i] }
    for row in 0..<count { normalise(UnsafeMutableBufferPointer(rebasing: users[(row * d)..<((row + 1) * d)])) }
  }

  /// Normalised exponentials are uniform on the simplex (a flat Dirichlet): divides by the total, summed in index
  /// order.
  private func normalise(_ x: UnsafeMutableBufferPointer<Double>) {
    var total = 0.0
    for i in 0..<d { total += x[i] }
    for i in 0..<d { x[i] /= total }
  }

  private func probability(ad: Int, x: UnsafeBufferPointer<Double>, items: UnsafeMutableBufferPointer<Int>, length: Int)
    -> Double
  {
    var dot = 0.0, wave = 0.0
    for i in 0..<d {
      dot += theta[ad * d + i] * x[i]
      wave += u[ad * d + i] * x[i]
    }
    return probability(ad: ad, dot: dot, wave: wave, items: items, length: length)
  }

  /// p(click | ad, x) from θ_a · x and u_a · x (the wave only matters to the logistic link).
  private func probability(ad: Int, dot: Double, wave: Double, items: UnsafeMutableBufferPointer<Int>, length: Int)
    -> Double
  {
    if params.link == .linear { return min(max(dot, 0), 1) }
    var z = params.scale * dot + bias[ad] + params.nonlinearity * AdLabMath.sin(3 * wave)
    if length > 0 { z += params.historyWeight * closestSimilarity(ad: ad, history: items, length: length) }
    return 1 / (1 + AdLabMath.exp(-z))
  }

  public func nextBatch(firstStep: Int, count: Int) -> DecisionBatch {
    let k = candidateCount
    var features = FeatureBatch()
    features.decisionDense = [Float](repeating: 0, count: count * d)
    features.candidateDense = [Float](repeating: 0, count: count * k * d)
    let n = params.history, fields = n > 0 ? 2 : 1
    features.candidateCategorical = [UInt64](repeating: 0, count: count * k * fields)
    features.sequences = [UInt64](repeating: 0, count: count * n)
    features.sequenceLengths = [Int32](repeating: 0, count: n > 0 ? count : 0)
    if users.count < count * d { users = [Double](repeating: 0, count: count * d) }
    usersFirstStep = firstStep
    usersCount = count
    var items = [Int](repeating: 0, count: n)
    users.withUnsafeMutableBufferPointer { users in
      // The batch's uniforms in one call (Philox lanes), then shaped into user vectors.
      CounterRandom.uniformRows(key: userKey, firstA: UInt64(firstStep), rows: count, columns: d, into: users)
      shapeUsers(users, count: count)
      items.withUnsafeMutableBufferPointer { items in
        features.decisionDense.withUnsafeMutableBufferPointer { dense in
          for i in 0..<count {
            for j in 0..<d { dense[i * d + j] = Float(users[i * d + j]) }
            if n > 0 {
              let length = history(step: firstStep + i, into: items)
              features.sequenceLengths[i] = Int32(length)
              for j in 0..<length { features.sequences[i * n + j] = UInt64(items[j]) }
            }
          }
        }
      }
    }
    // Every decision sees the same ads: ids (and items) 0..<k, and θ as the ad vectors.
    features.candidateCategorical.withUnsafeMutableBufferPointer { categorical in
      for i in 0..<count {
        for a in 0..<k {
          categorical[(i * k + a) * fields] = UInt64(a)
          if n > 0 { categorical[(i * k + a) * fields + 1] = UInt64(a + 1) }
        }
      }
    }
    features.candidateDense.withUnsafeMutableBufferPointer { dense in
      thetaFloat.withUnsafeBufferPointer { theta in
        for i in 0..<count {
          _ = UnsafeMutableBufferPointer(rebasing: dense[(i * k * d)..<((i + 1) * k * d)]).update(fromContentsOf: theta)
        }
      }
    }
    let steps = Array(firstStep..<(firstStep + count))
    return DecisionBatch(
      steps: steps, userIDs: steps.map { UInt64($0) }, candidateCount: k, schema: featureSchema, features: features)
  }

  public func resolve(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, into outcomes: inout OutcomeBatch) {
    var scratch = [Double](repeating: 0, count: d), items = [Int](repeating: 0, count: params.history)
    users.withUnsafeBufferPointer { cache in
      scratch.withUnsafeMutableBufferPointer { scratch in
        items.withUnsafeMutableBufferPointer { items in
          for i in 0..<batch.count {
            let step = batch.steps[i], ad = Int(actions[i])
            guard ad != Int(DecisionBatch.noAd) else {
              outcomes.impressions[i] = 0
              outcomes.clicks[i] = 0
              outcomes.conversions[i] = 0
              continue
            }
            withUser(step: step, cache: cache, scratch, items) { x, length in
              let p = probability(ad: ad, x: x, items: items, length: length)
              outcomes.impressions[i] = 1
              let clicked = CounterRandom.uniform(key: clickKey, UInt64(step), UInt64(ad)) < p
              outcomes.clicks[i] = clicked ? 1 : 0
              if params.conversions {
                let converted =
                  clicked
                  && CounterRandom.uniform(key: conversionKey, UInt64(step), UInt64(ad))
                    < conversionProbability(ad: ad, x: x)
                outcomes.conversions[i] = converted ? 1 : 0
              }
            }
          }
        }
      }
    }
  }

  public func expectedOutcomes(_ batch: DecisionBatch, into outcomes: inout OutcomeBatch) {
    let k = candidateCount, n = batch.count, logistic = params.link == .logistic, conversions = params.conversions
    var scratch = [Double](repeating: 0, count: d), items = [Int](repeating: 0, count: params.history)
    var clicks = [Double](repeating: 0, count: n * k), converts = [Double](repeating: 0, count: conversions ? n * k : 0)
    // On raw buffers: the dot products of one user with every ad run side by side across ads.
    withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * k) { products in
      let dots = products.baseAddress!, waves = dots + k
      users.withUnsafeBufferPointer { cache in
        thetaByFeature.withUnsafeBufferPointer { thetaT in
          uByFeature.withUnsafeBufferPointer { uT in
            clicks.withUnsafeMutableBufferPointer { clicks in
              converts.withUnsafeMutableBufferPointer { converts in
                scratch.withUnsafeMutableBufferPointer { scratch in
                  items.withUnsafeMutableBufferPointer { items in
                    for i in 0..<n {
                      withUser(step: batch.steps[i], cache: cache, scratch, items) { x, length in
                        for a in 0..<(2 * k) { dots[a] = 0 }
                        for j in 0..<d {
                          let xj = x[j], row = j * k
                          for a in 0..<k { dots[a] += thetaT[row + a] * xj }
                          if logistic { for a in 0..<k { waves[a] += uT[row + a] * xj } }
                        }
                        for a in 0..<k {
                          let p = probability(ad: a, dot: dots[a], wave: waves[a], items: items, length: length)
                          clicks[i * k + a] = p
                          if conversions { converts[i * k + a] = p * conversionProbability(ad: a, x: x) }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    for e in 0..<(n * k) {
      outcomes.impressions[e] = 1
      outcomes.clicks[e] = clicks[e]
    }
    if conversions { for e in 0..<(n * k) { outcomes.conversions[e] = converts[e] } }
  }
}
