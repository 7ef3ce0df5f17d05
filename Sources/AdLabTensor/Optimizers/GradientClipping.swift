/// Gradient clipping by global norm.
public enum GradientClipping {
  /// Scales all gradients by `maxNorm / norm` when their global L2 norm exceeds `maxNorm`; returns the norm
  /// before clipping.
  ///
  /// The norm is `√(Σ g²)` over every element of every gradient (dense or row values), accumulated in `Double` in
  /// parameter order, then row-major element order, so it is the same on any number of threads.
  ///
  /// - Precondition: `maxNorm > 0` and finite.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  @discardableResult
  public static func clipByGlobalNorm<Scalar: TensorScalar>(
    _ gradients: inout [ParameterGradient<Scalar>], maxNorm: Double
  ) -> Double {
    precondition(maxNorm > 0 && maxNorm.isFinite, "clipByGlobalNorm: maxNorm must be finite and > 0, got \(maxNorm)")
    var squares = 0.0
    for gradient in gradients {
      let values: Tensor<Scalar>
      switch gradient {
      case .none: continue
      case .dense(let g): values = g
      case .rows(let rows): values = rows.values
      }
      values.withUnsafeBufferPointer { buffer in
        for x in buffer {
          let d = x.doubleValue
          squares += d * d
        }
      }
    }
    let norm = squares.squareRoot()
    guard norm > maxNorm else { return norm }
    let scale = Scalar(maxNorm / norm)
    for index in gradients.indices {
      switch gradients[index] {
      case .none: break
      case .dense(let g): gradients[index] = .dense(g * scale)
      case .rows(var rows):
        rows.values = rows.values * scale
        gradients[index] = .rows(rows)
      }
    }
    return norm
  }
}
