/// One-pass means and co-moments (Welford) of the per-round terms analytic standard errors need:
/// x = (w·r, w, q̂_π, w·(r − q̂), 1{w ≤ τ}·w·(r − q̂)), plus the raw sums self-normalised IPW's delta method
/// uses and replay's kept rewards. Added round by round in round order, so any chunking gives the same bits.
struct TermMoments {
  var n = 0.0
  var mean = SIMD8<Double>()
  /// Rows of the co-moment matrix Σ (x − x̄)(x − x̄)ᵀ; lanes 0–4 used.
  var c0 = SIMD8<Double>(), c1 = SIMD8<Double>(), c2 = SIMD8<Double>(), c3 = SIMD8<Double>(), c4 = SIMD8<Double>()
  var weightSquaredRewardSquared = 0.0, weightSquaredReward = 0.0, weightSquared = 0.0
  var kept = 0.0, keptMean = 0.0, keptSquares = 0.0

  @inline(__always) mutating func add(_ x: SIMD8<Double>, weight w: Double, reward r: Double, accepted: Double) {
    n += 1
    let delta = x - mean
    mean += delta / n
    let after = x - mean
    c0 += delta[0] * after
    c1 += delta[1] * after
    c2 += delta[2] * after
    c3 += delta[3] * after
    c4 += delta[4] * after
    weightSquaredRewardSquared += w * w * r * r
    weightSquaredReward += w * w * r
    weightSquared += w * w
    if accepted > 0 {
      kept += 1
      let d = r - keptMean
      keptMean += d / kept
      keptSquares += d * (r - keptMean)
    }
  }

  /// Sample covariance of terms i and j.
  func covariance(_ i: Int, _ j: Int) -> Double {
    let rows = [c0, c1, c2, c3, c4]
    return rows[i][j] / (n - 1)
  }

  /// The analytic standard error of `estimator` (with the full sums `sums` and its estimate `value`), where one
  /// exists: nil for DM, whose error is the model's bias, which no variance formula sees.
  func standardError(_ estimator: OffPolicyEstimator, value: Double, sums: EstimatorSums) -> Double? {
    guard n > 1 else { return nil }
    func meanSE(_ variance: Double) -> Double { (max(0, variance) / n).squareRoot() }
    // Term indices: 0 w·r, 1 w, 2 q̂_π, 3 w·(r − q̂), 4 switched residual.
    switch estimator {
    case .dm: return nil
    case .ipw: return meanSE(covariance(0, 0))
    case .snipw:
      guard sums.weight > 0 else { return nil }
      let squares = weightSquaredRewardSquared - 2 * value * weightSquaredReward + value * value * weightSquared
      return max(0, squares).squareRoot() / sums.weight
    case .dr: return meanSE(covariance(2, 2) + covariance(3, 3) + 2 * covariance(2, 3))
    case .switchDR: return meanSE(covariance(2, 2) + covariance(4, 4) + 2 * covariance(2, 4))
    case .sndr:
      guard sums.weight > 0 else { return nil }
      // term_i = q̂_π + (u_i − c·w_i)/w̄ with u = w·(r − q̂), c = Σu/Σw, w̄ = Σw/n.
      let c = sums.weightedResidual / sums.weight, meanWeight = sums.weight / n
      let residual = covariance(3, 3) - 2 * c * covariance(3, 1) + c * c * covariance(1, 1)
      let cross = covariance(2, 3) - c * covariance(2, 1)
      return meanSE(covariance(2, 2) + residual / (meanWeight * meanWeight) + 2 * cross / meanWeight)
    case .replay:
      guard kept > 1 else { return nil }
      return (keptSquares / (kept - 1)).squareRoot() / kept.squareRoot()
    }
  }
}
