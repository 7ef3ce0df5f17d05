/// Softmax, log-softmax and layer normalization. Every sum runs in index order along the axis (see reductions),
/// except Float rows along the last axis, which run `VectorKernels`' per-class row kernels (striped sums in the
/// FMA classes; Float layer norm accumulates its mean and variance in Double in every class).
extension Tensor {
  /// `exp(x − m) / Σ exp(x − m)` along `axis` (default: the last), `m` the maximum: stable for any inputs.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func softmax(axis: Int = -1) throws(TensorError) -> Tensor {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "softmax")
    return softmaxKernel(axis: axis, logarithm: false)
  }

  /// `x − m − log Σ exp(x − m)` along `axis` (default: the last): the stable logarithm of `softmax`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func logSoftmax(axis: Int = -1) throws(TensorError) -> Tensor {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "logSoftmax")
    return softmaxKernel(axis: axis, logarithm: true)
  }

  /// Layer normalization over the last axis: `(x − mean) / sqrt(var + ε) · gamma + beta`, with the biased
  /// variance `mean((x − mean)²)`.
  ///
  /// - Parameters:
  ///   - gamma: scale, shape `[d]` where `d = shape.last`.
  ///   - beta: shift, shape `[d]`.
  /// - Throws: `TensorError.incompatibleShapes` if gamma or beta is not `[d]`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func layerNorm(gamma: Tensor, beta: Tensor, epsilon: Scalar = 1e-5) throws(TensorError) -> Tensor {
    try layerNormForward(gamma: gamma, beta: beta, epsilon: epsilon).output
  }

  // MARK: - Implementation details

  func softmaxKernel(axis: Int, logarithm: Bool) -> Tensor {
    let (outer, n, inner) = layout(axis: axis)
    let result = Tensor(uninitializedShape: shape)
    let source = contiguous()
    if Scalar.self == Float.self && inner == 1 {
      // Rows along the last axis: the per-class row kernel (the same operations as below in `portable`).
      let kernels = KernelClass.current
      withExtendedLifetime(source) {
        let x = UnsafeRawPointer(source.basePointer).assumingMemoryBound(to: Float.self)
        let y = UnsafeMutableRawPointer(result.basePointer).assumingMemoryBound(to: Float.self)
        for o in 0..<outer { VectorKernels.softmaxRow(x + o * n, y + o * n, n, logarithm: logarithm, kernels) }
      }
      return result
    }
    withExtendedLifetime(source) {
      for o in 0..<outer {
        for j in 0..<inner {
          let x = source.basePointer + o * n * inner + j
          let y = result.basePointer + o * n * inner + j
          var m = -Scalar.infinity
          for k in 0..<n where x[k * inner] > m || x[k * inner].isNaN { m = x[k * inner] }
          if m == -.infinity { m = 0 }  // all −∞: keep exp(x − m) = 0 rather than NaN
          var s: Scalar = 0
          for k in 0..<n {
            let e = Scalar.exp(x[k * inner] - m)
            if !logarithm { y[k * inner] = e }
            s += e
          }
          if logarithm {
            let shift = m + Scalar.log(s)
            for k in 0..<n { y[k * inner] = x[k * inner] - shift }
          } else {
            let scale = 1 / s
            for k in 0..<n { y[k * inner] *= scale }
          }
        }
      }
    }
    return result
  }

  /// The layer norm output together with the per-row mean and `1 / sqrt(var + ε)` (saved for the gradient).
  func layerNormForward(
    gamma: Tensor, beta: Tensor, epsilon: Scalar
  ) throws(TensorError) -> (output: Tensor, mean: [Scalar], inverseDeviation: [Scalar]) {
    guard let d = shape.last else {
      throw .invalidShape(op: "layerNorm", shape: shape, reason: "has no axis to normalize")
    }
    guard gamma.shape == [d] else {
      throw .incompatibleShapes(
        op: "layerNorm", lhs: shape, rhs: gamma.shape, reason: "do not fit (gamma must be [\(d)])")
    }
    guard beta.shape == [d] else {
      throw .incompatibleShapes(
        op: "layerNorm", lhs: shape, rhs: beta.shape, reason: "do not fit (beta must be [\(d)])")
    }
    let rows = d == 0 ? 0 : count / d
    let result = Tensor(uninitializedShape: shape)
    var means = [Scalar](repeating: 0, count: rows)
    var inverse = [Scalar](repeating: 0, count: rows)
    let source = contiguous()
    let g = gamma.contiguous()
    let b = beta.contiguous()
    if Scalar.self == Float.self {
      // Float rows go through the per-class row kernel (mean and variance accumulated in Double).
      let kernels = KernelClass.current
      withExtendedLifetime((source, g, b)) {
        let float = { (p: UnsafeMutablePointer<Scalar>) in
          UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
        }
        let x = float(source.basePointer), y = float(result.basePointer)
        for row in 0..<rows {
          let (mean, rstd) = VectorKernels.layerNorm(
            x + row * d, gain: float(g.basePointer), bias: float(b.basePointer), epsilon: Float(epsilon),
            into: y + row * d, count: d, kernels: kernels)
          means[row] = Scalar(mean)
          inverse[row] = Scalar(rstd)
        }
      }
      return (result, means, inverse)
    }
    withExtendedLifetime((source, g, b)) {
      let scale = g.basePointer
      let shift = b.basePointer
      for row in 0..<rows {
        let x = source.basePointer + row * d
        let y = result.basePointer + row * d
        var sum: Scalar = 0
        for j in 0..<d { sum += x[j] }
        let mean = sum / Scalar(d)
        var squares: Scalar = 0
        for j in 0..<d {
          let centred = x[j] - mean
          squares += centred * centred
        }
        let rstd = 1 / (squares / Scalar(d) + epsilon).squareRoot()
        for j in 0..<d { y[j] = (x[j] - mean) * rstd * scale[j] + shift[j] }
        means[row] = mean
        inverse[row] = rstd
      }
    }
    return (result, means, inverse)
  }
}
