import AdLabCore
import Foundation

/// The probability that each of several independent Beta variables is the largest:
///
/// ```
/// P(k is max) = ∫ f_k(x) · Π_{j≠k} F_j(x) dx
/// ```
/// integrated with Gauss–Legendre on the window where f_k has its mass (mean ± 12 sd, clipped to [0, 1]).
/// Outside its own window F_j is 0 or 1, so only ads whose windows overlap cost a CDF evaluation; and an ad
/// whose window lies wholly below another's upper bound... is skipped when its best case is already dominated.
/// Results are normalised to sum to 1 (the quadrature error is far below what bandit logs resolve).
enum BetaArgmaxProbabilities {
  /// 32-point Gauss–Legendre nodes and weights on [−1, 1].
  static let rule = GaussLegendre(points: 32)

  static func compute(alphas: [Double], betas: [Double]) -> [Double] {
    let k = alphas.count
    guard k > 1 else { return [1] }
    let windows = (0..<k).map { window(alphas[$0], betas[$0]) }
    var probabilities = [Double](repeating: 0, count: k)
    for a in 0..<k {
      let (lo, hi) = windows[a]
      // Another ad sure to be above everything this ad can reach makes its probability 0.
      if (0..<k).contains(where: { $0 != a && windows[$0].lo >= hi }) { continue }
      let logNorm = lgamma(alphas[a] + betas[a]) - lgamma(alphas[a]) - lgamma(betas[a])
      let half = (hi - lo) / 2, mid = (hi + lo) / 2
      var total = 0.0
      for (node, weight) in zip(rule.nodes, rule.weights) {
        let x = mid + half * node
        guard x > 0, x < 1 else { continue }
        var density = exp(logNorm + (alphas[a] - 1) * log(x) + (betas[a] - 1) * log1p(-x))
        for j in 0..<k where j != a {
          if x <= windows[j].lo { density = 0; break }
          if x >= windows[j].hi { continue }
          density *= BetaDistribution.cdf(x, alpha: alphas[j], beta: betas[j])
        }
        total += weight * density
      }
      probabilities[a] = total * half
    }
    let sum = probabilities.reduce(0, +)
    guard sum > 0, sum.isFinite else { return [Double](repeating: 1 / Double(k), count: k) }
    return probabilities.map { $0 / sum }
  }

  static func window(_ a: Double, _ b: Double) -> (lo: Double, hi: Double) {
    let mean = a / (a + b)
    let sd = (a * b / ((a + b) * (a + b) * (a + b + 1))).squareRoot()
    return (max(0, mean - 12 * sd), min(1, mean + 12 * sd))
  }
}

/// Gauss–Legendre quadrature nodes and weights, found by Newton's method on the Legendre polynomial.
struct GaussLegendre: Sendable {
  let nodes: [Double]
  let weights: [Double]

  init(points n: Int) {
    var nodes = [Double](repeating: 0, count: n), weights = nodes
    for i in 0..<n {
      var x = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
      var derivative = 0.0
      for _ in 0..<100 {
        var p0 = 1.0, p1 = x
        for m in 2...n {
          let p2 = ((2 * Double(m) - 1) * x * p1 - (Double(m) - 1) * p0) / Double(m)
          p0 = p1
          p1 = p2
        }
        derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
        let step = p1 / derivative
        x -= step
        if abs(step) < 1e-15 { break }
      }
      nodes[i] = x
      weights[i] = 2 / ((1 - x * x) * derivative * derivative)
    }
    self.nodes = nodes
    self.weights = weights
  }
}
