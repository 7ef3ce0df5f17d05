internal import CAdLabKernels

/// Float elementwise and row kernels per kernel class: the building blocks the models run in bulk (MiniLM's
/// softmax, LayerNorm and GELU, the tensor core's maps, Adam, and RMS norm, SiLU and softmax for decoders).
///
/// Each kernel takes raw pointers and a count, reads the kernel class once (``KernelClass/current`` unless
/// one is passed), and runs single-threaded: callers split work by rows or fixed element ranges, so results
/// never depend on the thread count. Within a class every result is a fixed function of its inputs:
/// - `portable` is the Swift loop of each doc comment: sums in index order, separate multiply and add.
/// - `x86-64-v3` / `x86-64-v4` run C kernels on 4 / 8 lanes (`Sources/CAdLabKernels/vector_kernels_body.h`).
///   Row sums are striped, element j into lane j mod L (L = ``sumLanes(_:)``), then the lanes are folded by
///   halves; sums of products and affine steps use one fused multiply-add where the doc comment says so.
/// - Transcendental functions are AdLabMath's Float functions in every class, vectorised with the same
///   operations as the scalar forms, so maps like ``gelu(_:into:count:kernels:)`` give the same bits in
///   every class.
///
/// Inputs and outputs may be the same buffer (in place) where a kernel says so; they must not otherwise overlap.
/// A `kernels` argument must be a class this CPU supports (``KernelClass/current`` always is).
public enum VectorKernels {
  /// How many partial sums a class's row reductions keep (1: a plain loop in index order).
  public static func sumLanes(_ kernels: KernelClass) -> Int {
    switch kernels {
    case .portable: return 1
    case .x86_64_v3: return 4
    case .x86_64_v4: return 8
    }
  }

  // MARK: - Elementwise maps (in place allowed)

  /// `1 / (1 + e^−x)` for x ≥ 0 and `e^x / (1 + e^x)` below, in Float with `AdLabMath.exp(Float)` (the tensor
  /// core's sigmoid). The same bits in every class.
  public static func sigmoid(
    _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int, kernels: KernelClass = .current
  ) {
    switch checked(kernels) {
    case .portable: for i in 0..<count { y[i] = portableSigmoid(x[i]) }
    case .x86_64_v3: adlab_vsigmoid_float_v3(count, x, y, VectorMathConstants.pointer)
    case .x86_64_v4: adlab_vsigmoid_float_v4(count, x, y, VectorMathConstants.pointer)
    }
  }

  /// GELU, erf form (BERT's `gelu`): `(0.5·x) · (1 + erf(x · (1/√2)))` in Float with `AdLabMath.erf(Float)`.
  /// The same bits in every class.
  public static func gelu(
    _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int, kernels: KernelClass = .current
  ) {
    switch checked(kernels) {
    case .portable: for i in 0..<count { y[i] = portableGELU(x[i]) }
    case .x86_64_v3: adlab_vgelu_v3(count, x, y, VectorMathConstants.pointer)
    case .x86_64_v4: adlab_vgelu_v4(count, x, y, VectorMathConstants.pointer)
    }
  }

  /// SiLU (swish): `x · sigmoid(x)` with ``sigmoid(_:into:count:kernels:)``. The same bits in every class.
  public static func silu(
    _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int, kernels: KernelClass = .current
  ) {
    switch checked(kernels) {
    case .portable: for i in 0..<count { y[i] = x[i] * portableSigmoid(x[i]) }
    case .x86_64_v3: adlab_vsilu_v3(count, x, y, VectorMathConstants.pointer)
    case .x86_64_v4: adlab_vsilu_v4(count, x, y, VectorMathConstants.pointer)
    }
  }

  /// GELU's backward: `g · (Φ(x) + x·φ(x))` with `Φ(x) = 0.5·(1 + erf(x·(1/√2)))` and
  /// `φ(x) = 0.3989…·e^((−0.5·x)·x)`, in Float (the tensor core's GELU gradient). The same bits in every class.
  public static func geluGradient(
    _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int,
    kernels: KernelClass = .current
  ) {
    switch checked(kernels) {
    case .portable: for i in 0..<count { y[i] = portableGELUGradient(g[i], x[i]) }
    case .x86_64_v3: adlab_vgelu_grad_v3(count, g, x, y, VectorMathConstants.pointer)
    case .x86_64_v4: adlab_vgelu_grad_v4(count, g, x, y, VectorMathConstants.pointer)
    }
  }

  // MARK: - Rows

  /// Softmax of one row of `count` values: m = the maximum (NaN wins; 0 when every value is −∞),
  /// e_j = `AdLabMath.exp(x_j − m)`, s = Σ e_j (striped per class), y_j = e_j · (1/s). In place allowed.
  public static func softmax(
    _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int, kernels: KernelClass = .current
  ) {
    softmaxRow(x, y, count, logarithm: false, kernels)
  }

  /// Log-softmax of one row: y_j = x_j − (m + `AdLabMath.log(s)`), m and s as in
  /// ``softmax(_:into:count:kernels:)``. In place allowed.
  public static func logSoftmax(
    _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int, kernels: KernelClass = .current
  ) {
    softmaxRow(x, y, count, logarithm: true, kernels)
  }

  /// Layer normalization of one row: mean and biased variance accumulated in Double (Σ x_j, then
  /// Σ (x_j − mean)², fused in FMA classes), `inverse = Float(1/√(variance + ε))`, and
  /// `y_j = (x_j − Float(mean)) · inverse · gain_j + bias_j` (the last multiply-add fused in FMA classes).
  /// Returns the Float mean and inverse deviation (what a backward pass needs). In place allowed.
  @discardableResult
  public static func layerNorm(
    _ x: UnsafePointer<Float>, gain: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float,
    into y: UnsafeMutablePointer<Float>, count: Int, kernels: KernelClass = .current
  ) -> (mean: Float, inverseDeviation: Float) {
    guard count > 0 else { return (0, 0) }
    switch checked(kernels) {
    case .portable:
      return portableLayerNorm(x, gain: gain, bias: bias, epsilon: epsilon, into: y, count: count)
    case .x86_64_v3, .x86_64_v4:
      var mean: Float = 0
      var inverse: Float = 0
      if kernels == .x86_64_v3 {
        adlab_layer_norm_row_v3(count, x, gain, bias, epsilon, y, &mean, &inverse)
      } else {
        adlab_layer_norm_row_v4(count, x, gain, bias, epsilon, y, &mean, &inverse)
      }
      return (mean, inverse)
    }
  }

  /// RMS normalization of one row (Llama / SmolLM2): `inverse = Float(1/√(Σ x_j² / n + ε))` with the sum of
  /// squares in Double (fused in FMA classes), `y_j = (x_j · inverse) · weight_j`. Returns `inverse`. In place
  /// allowed.
  @discardableResult
  public static func rmsNorm(
    _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, epsilon: Float, into y: UnsafeMutablePointer<Float>,
    count: Int, kernels: KernelClass = .current
  ) -> Float {
    guard count > 0 else { return 0 }
    switch checked(kernels) {
    case .portable:
      var squares = 0.0
      for j in 0..<count {
        let v = Double(x[j])
        squares += v * v
      }
      let inverse = Float(1 / (squares / Double(count) + Double(epsilon)).squareRoot())
      for j in 0..<count { y[j] = (x[j] * inverse) * weight[j] }
      return inverse
    case .x86_64_v3: return adlab_rms_norm_row_v3(count, x, weight, epsilon, y)
    case .x86_64_v4: return adlab_rms_norm_row_v4(count, x, weight, epsilon, y)
    }
  }

  // MARK: - Implementation details

  /// `kernels`, after checking that this CPU can run it: a class reaches these kernels from ``KernelClass/current``
  /// (always supported; `--kernels` is checked when parsed) or from a caller that captured it, so an unsupported
  /// one is a programming error, stopped here with a message rather than by an illegal instruction.
  @inline(__always) static func checked(_ kernels: KernelClass) -> KernelClass {
    precondition(kernels == .portable || kernels.isSupported, "kernel class \(kernels) is not supported by this CPU")
    return kernels
  }

  static func softmaxRow(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int, logarithm: Bool,
    _ kernels: KernelClass
  ) {
    guard count > 0 else { return }
    switch checked(kernels) {
    case .portable: portableSoftmax(x, y, count, logarithm: logarithm)
    case .x86_64_v3: adlab_softmax_row_v3(count, x, y, logarithm ? 1 : 0, VectorMathConstants.pointer)
    case .x86_64_v4: adlab_softmax_row_v4(count, x, y, logarithm ? 1 : 0, VectorMathConstants.pointer)
    }
  }

  @inline(__always) static func portableSigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + AdLabMath.exp(-x)) }
    let e = AdLabMath.exp(x)
    return e / (1 + e)
  }

  @inline(__always) static func portableGELU(_ x: Float) -> Float {
    0.5 * x * (1 + AdLabMath.erf(x * 0.70710678118654752440))
  }

  @inline(__always) static func portableGELUGradient(_ g: Float, _ x: Float) -> Float {
    let cdf = 0.5 * (1 + AdLabMath.erf(x * 0.70710678118654752440))
    let pdf = 0.39894228040143267794 * AdLabMath.exp(-0.5 * x * x)
    return g * (cdf + x * pdf)
  }

  static func portableSoftmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, logarithm: Bool) {
    var m = -Float.infinity
    for k in 0..<n where x[k] > m || x[k].isNaN { m = x[k] }
    if m == -.infinity { m = 0 }  // all −∞: keep exp(x − m) = 0 rather than NaN
    var s: Float = 0
    for k in 0..<n {
      let e = AdLabMath.exp(x[k] - m)
      if !logarithm { y[k] = e }
      s += e
    }
    if logarithm {
      let shift = m + AdLabMath.log(s)
      for k in 0..<n { y[k] = x[k] - shift }
    } else {
      let scale = 1 / s
      for k in 0..<n { y[k] *= scale }
    }
  }

  static func portableLayerNorm(
    _ x: UnsafePointer<Float>, gain: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float,
    into y: UnsafeMutablePointer<Float>, count: Int
  ) -> (mean: Float, inverseDeviation: Float) {
    var total = 0.0
    for j in 0..<count { total += Double(x[j]) }
    let mean = total / Double(count)
    var squares = 0.0
    for j in 0..<count {
      let centred = Double(x[j]) - mean
      squares += centred * centred
    }
    let inverse = Float(1 / (squares / Double(count) + Double(epsilon)).squareRoot())
    let mean32 = Float(mean)
    for j in 0..<count { y[j] = (x[j] - mean32) * inverse * gain[j] + bias[j] }
    return (mean32, inverse)
  }
}
