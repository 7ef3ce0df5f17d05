import AdLabCore

/// Builds the context vectors linear policies learn on from the batch's features: the chosen dense
/// features of each decision (user and context side), concatenated, plus a constant 1 for an intercept.
struct ContextVectors {
  /// Column ranges of the chosen features within a decision row of `FeatureBatch.decisionDense`.
  let ranges: [Range<Int>]
  /// Width of a context vector (features + intercept).
  let dimension: Int

  /// Chooses `names` (all decision-side dense features when empty). Throws when a name is not served.
  init(schema: FeatureSchema, names: [String], plugin: String) throws {
    let available = schema.decisionDense.map(\.name)
    let chosen = names.isEmpty ? available : names
    var ranges: [Range<Int>] = []
    for name in chosen {
      guard available.contains(name), let range = schema.columns(of: name) else {
        throw PluginError.invalidParameters(
          "\(plugin): the environment serves no user or context dense feature '\(name)'"
            + (available.isEmpty ? " (it serves none)" : "; it serves: " + available.joined(separator: ", ")))
      }
      ranges.append(range)
    }
    self.ranges = ranges
    dimension = ranges.reduce(1) { $0 + $1.count }
  }

  /// The batch's context vectors, decision-major (count × dimension).
  func matrix(_ batch: DecisionBatch) -> [Double] {
    let width = batch.schema.decisionDenseWidth
    var out = [Double](repeating: 0, count: batch.count * dimension)
    batch.features.decisionDense.withUnsafeBufferPointer { dense in
      for i in 0..<batch.count {
        var column = 0
        for range in ranges {
          for j in range {
            out[i * dimension + column] = Double(dense[i * width + j])
            column += 1
          }
        }
        out[i * dimension + column] = 1
      }
    }
    return out
  }
}

/// Per-ad ridge regressions r ≈ θ_a · x, the statistics of LinUCB and linear Thompson sampling:
/// A_a = λI + Σ x xᵀ and b_a = Σ r x over the decisions that showed ad a.
struct RidgeArms {
  let arms: Int, dimension: Int
  /// A_a, of which only the lower triangle (row ≥ column) is kept up to date: it is symmetric, and the Cholesky
  /// factorisation reads only that half, so `record` does half the work.
  var gram: [[Double]]
  var targets: [[Double]]
  /// A_a⁻¹ and θ_a = A_a⁻¹ b_a, refreshed by `solve()` once per batch (feedback is batched anyway).
  var inverses: [[Double]]
  var weights: [[Double]]

  init(arms: Int, dimension: Int, regularization: Double) {
    self.arms = arms
    self.dimension = dimension
    var identity = [Double](repeating: 0, count: dimension * dimension)
    for i in 0..<dimension { identity[i * dimension + i] = regularization }
    gram = Array(repeating: identity, count: arms)
    targets = Array(repeating: Array(repeating: 0, count: dimension), count: arms)
    inverses = Array(repeating: identity.map { $0 == 0 ? 0 : 1 / $0 }, count: arms)
    weights = targets
  }

  /// Adds the shown ads' (context, reward) pairs: `shown[j]` is (decision row of `contexts`, ad, reward).
  mutating func record(contexts: [Double], shown: [ShownAd]) {
    let d = dimension
    contexts.withUnsafeBufferPointer { x in
      for entry in shown {
        let a = entry.ad, row = entry.decision * d, reward = entry.reward
        // One exclusive access per decision, not per element: the d² loop then runs on raw pointers.
        targets[a].withUnsafeMutableBufferPointer { b in
          gram[a].withUnsafeMutableBufferPointer { g in
            for r in 0..<d {
              let xr = x[row + r]
              b[r] += reward * xr
              for c in 0...r { g[r * d + c] += xr * x[row + c] }
            }
          }
        }
      }
    }
    solve()
  }

  /// Recomputes every ad's inverse and weights; an ad whose matrix lost definiteness keeps its last solution.
  mutating func solve() {
    let d = dimension
    for a in 0..<arms {
      guard let inverse = Cholesky.inverse(gram[a], size: d) else { continue }
      inverses[a] = inverse
      for r in 0..<d {
        var sum = 0.0
        for c in 0..<d { sum += inverse[r * d + c] * targets[a][c] }
        weights[a][r] = sum
      }
    }
  }

  /// For every decision and candidate: the predicted reward θ_a · x and the width xᵀ A_a⁻¹ x of its ad,
  /// decision-major (`decision * candidateCount + candidate`).
  func meansAndWidths(_ contexts: [Double], batch: DecisionBatch) -> (means: [Double], widths: [Double]) {
    let n = batch.count, k = batch.candidateCount, d = dimension
    if batch.candidateIDs.isEmpty && k == arms { return meansAndWidths(contexts, count: n) }
    // Candidate sets differ per decision: score each (decision, candidate) against its ad's model directly,
    // which costs n · K · d² rather than the batch GEMM's n · (all ads) · d².
    var means = [Double](repeating: 0, count: n * k), widths = means
    for i in 0..<n {
      for c in 0..<k {
        let a = batch.adID(decision: i, candidate: c)
        var mean = 0.0, width = 0.0
        for r in 0..<d {
          var projected = 0.0
          for q in 0..<d { projected += contexts[i * d + q] * inverses[a][q * d + r] }
          width += projected * contexts[i * d + r]
          mean += weights[a][r] * contexts[i * d + r]
        }
        means[i * k + c] = mean
        widths[i * k + c] = max(width, 0)
      }
    }
    return (means, widths)
  }

  /// For every decision and ad: the predicted reward θ_a · x and the width xᵀ A_a⁻¹ x, decision-major.
  ///
  /// The widths come from one product per block of decisions, Y = X · B on the tensor core's GEMM, where B holds
  /// every ad's A_a⁻¹ with columns interleaved (`B[p, j·K + a] = A_a⁻¹[p, j]`), so that for each decision the K
  /// ads' terms `Y[i, j·K + a] · x_j` sit side by side and the sums over j run on vector lanes across ads. Each
  /// element keeps the order of the per-ad form (GEMM's fixed k-order, then j ascending), so the bits are the same.
  func meansAndWidths(_ contexts: [Double], count n: Int) -> (means: [Double], widths: [Double]) {
    let d = dimension, k = arms, columns = d * k
    var stacked = [Double](repeating: 0, count: d * columns)
    var thetaByFeature = [Double](repeating: 0, count: d * k)  // θ transposed: [j · K + a]
    for a in 0..<k {
      for p in 0..<d {
        for j in 0..<d { stacked[p * columns + j * k + a] = inverses[a][p * d + j] }
        thetaByFeature[p * k + a] = weights[a][p]
      }
    }
    // Blocks of 64 decisions keep the product (64 × K·d) in cache while it is consumed.
    let block = 64
    var projected = [Double](repeating: 0, count: min(n, block) * columns)
    var means = [Double](repeating: 0, count: n * k), widths = means
    contexts.withUnsafeBufferPointer { x in
      stacked.withUnsafeBufferPointer { b in
        projected.withUnsafeMutableBufferPointer { y in
          thetaByFeature.withUnsafeBufferPointer { theta in
            means.withUnsafeMutableBufferPointer { means in
              widths.withUnsafeMutableBufferPointer { widths in
                for first in stride(from: 0, to: n, by: block) {
                  let rows = min(block, n - first)
                  GEMMBridge.dgemm(
                    m: rows, n: columns, k: d, a: x.baseAddress! + first * d, b: b.baseAddress!, c: y.baseAddress!)
                  for r in 0..<rows {
                    let i = first + r, out = i * k
                    for j in 0..<d {
                      let xj = x[i * d + j], row = r * columns + j * k
                      for a in 0..<k {
                        means[out + a] += theta[j * k + a] * xj
                        widths[out + a] += y[row + a] * xj
                      }
                    }
                    for a in 0..<k { widths[out + a] = max(widths[out + a], 0) }
                  }
                }
              }
            }
          }
        }
      }
    }
    return (means, widths)
  }
}

/// A filled slot a learner learns from: its decision (row of the batch), candidate index, ad and reward.
struct ShownAd {
  var decision: Int
  var candidate: Int
  var ad: Int
  var reward: Double
}

extension SlotFeedback {
  /// The filled slots this setting learns from, in decision then slot order.
  func shown(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
    -> [ShownAd]
  {
    var out: [ShownAd] = []
    out.reserveCapacity(actions.count)
    forEachShown(batch, actions: actions, rewards: rewards) { i, c, ad, _, r in
      out.append(ShownAd(decision: i, candidate: c, ad: ad, reward: r))
    }
    return out
  }
}
