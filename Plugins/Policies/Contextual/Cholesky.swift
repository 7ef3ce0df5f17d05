/// Inverse of a small symmetric positive-definite matrix (row-major, n × n) by Cholesky factorisation,
/// for the per-ad ridge regressions of linear bandits. Deterministic: a fixed loop order, no pivoting.
enum Cholesky {
  /// The inverse of `matrix`, or nil when it is not (numerically) positive definite.
  static func inverse(_ matrix: [Double], size n: Int) -> [Double]? {
    precondition(matrix.count == n * n, "matrix must be \(n) × \(n)")
    // A = L Lᵀ.
    var l = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0...i {
        var sum = matrix[i * n + j]
        for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
        if i == j {
          guard sum > 0, sum.isFinite else { return nil }
          l[i * n + i] = sum.squareRoot()
        } else {
          l[i * n + j] = sum / l[j * n + j]
        }
      }
    }
    // L⁻¹ by forward substitution, then A⁻¹ = L⁻ᵀ L⁻¹.
    var inverseL = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      inverseL[i * n + i] = 1 / l[i * n + i]
      for j in 0..<i {
        var sum = 0.0
        for k in j..<i { sum -= l[i * n + k] * inverseL[k * n + j] }
        inverseL[i * n + j] = sum / l[i * n + i]
      }
    }
    var result = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0...i {
        var sum = 0.0
        for k in i..<n { sum += inverseL[k * n + i] * inverseL[k * n + j] }
        result[i * n + j] = sum
        result[j * n + i] = sum
      }
    }
    return result
  }
}
