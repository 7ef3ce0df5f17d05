/// FTRL-Proximal (McMahan et al., "Ad Click Prediction: a View from the Trenches", KDD 2013, Algorithm 1):
/// per-coordinate follow-the-regularized-leader with L1 and L2 regularization, the classic optimizer for sparse
/// logistic models.
///
/// Per coordinate, with state `z` and `n` (both starting at 0) and the current weight `w`:
/// ```
/// σ = (√(n + g²) − √n) / α
/// z ← z + g − σ·w;    n ← n + g²
/// w ← 0                                            if |z| ≤ λ₁
/// w ← −(z − sign(z)·λ₁) / ((β + √n)/α + λ₂)        otherwise
/// ```
/// Weights are a function of (z, n): start the parameters at 0. Sparse rows update only the touched rows, which is
/// exactly the paper's per-coordinate algorithm (untouched coordinates have g = 0 and would not change anyway,
/// except for the L1/L2 re-evaluation, which is idempotent).
public struct FTRL<Scalar: TensorScalar>: Optimizer {
  /// The per-coordinate learning rate scale α.
  public let alpha: Double
  /// The smoothing β of the per-coordinate rate α / (β + √n).
  public let beta: Double
  /// L1 strength λ₁ (sparsity).
  public let l1: Double
  /// L2 strength λ₂.
  public let l2: Double
  var z: [Tensor<Scalar>] = []
  var n: [Tensor<Scalar>] = []

  /// - Precondition: `alpha > 0`, `beta >= 0`, `l1 >= 0`, `l2 >= 0`, all finite.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public init(alpha: Double, beta: Double = 1, l1: Double = 0, l2: Double = 0) {
    precondition(alpha > 0 && alpha.isFinite, "FTRL: alpha must be finite and > 0, got \(alpha)")
    precondition(beta >= 0 && beta.isFinite, "FTRL: beta must be finite and >= 0, got \(beta)")
    precondition(l1 >= 0 && l1.isFinite, "FTRL: l1 must be finite and >= 0, got \(l1)")
    precondition(l2 >= 0 && l2.isFinite, "FTRL: l2 must be finite and >= 0, got \(l2)")
    self.alpha = alpha
    self.beta = beta
    self.l1 = l1
    self.l2 = l2
  }

  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func update(_ parameters: inout [Tensor<Scalar>], gradients: [ParameterGradient<Scalar>]) {
    OptimizerSupport.checkArity(parameters, gradients, name: "FTRL")
    OptimizerSupport.ensureSlots(&z, like: parameters, name: "FTRL")
    OptimizerSupport.ensureSlots(&n, like: parameters, name: "FTRL")
    let a = Scalar(alpha)
    let b = Scalar(beta)
    let lambda1 = Scalar(l1)
    let lambda2 = Scalar(l2)
    for index in parameters.indices {
      let shape = parameters[index].shape
      let gradient = gradients[index]
      parameters[index].withUnsafeMutableBufferPointer { w in
        z[index].withUnsafeMutableBufferPointer { z in
          n[index].withUnsafeMutableBufferPointer { n in
            OptimizerSupport.forEachSegment(of: gradient, parameterShape: shape, name: "FTRL") { start, count, g in
              for j in 0..<count {
                let i = start + j
                FTRL.step(
                  weight: &w[i], z: &z[i], n: &n[i], gradient: g[j], alpha: a, beta: b, l1: lambda1, l2: lambda2)
              }
            }
          }
        }
      }
    }
  }
}

extension FTRL {
  /// One coordinate's FTRL-Proximal step (the body of `update`), for models that run their own fused sparse
  /// loops over hashed features instead of building `RowSparseGradient`s.
  @inlinable @inline(__always)
  public static func step(
    weight w: inout Scalar, z: inout Scalar, n: inout Scalar, gradient g: Scalar, alpha: Scalar, beta: Scalar,
    l1: Scalar, l2: Scalar
  ) {
    let squared = g * g
    let sigma = ((n + squared).squareRoot() - n.squareRoot()) / alpha
    z += g - sigma * w
    n += squared
    if Swift.abs(z) <= l1 {
      w = 0
    } else {
      let sign: Scalar = z < 0 ? -1 : 1
      w = -(z - sign * l1) / ((beta + n.squareRoot()) / alpha + l2)
    }
  }
}
