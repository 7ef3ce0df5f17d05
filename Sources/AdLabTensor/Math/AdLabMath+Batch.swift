internal import CAdLabKernels

extension AdLabMath {
  /// The functions that batch forms exist for; each gives the scalar function's bits, in every kernel class.
  public enum Function: String, CaseIterable, Sendable {
    case exp, expm1, log, log1p, tanh, sigmoid, erf

    /// The scalar function.
    @inline(__always) public func callAsFunction(_ x: Double) -> Double {
      switch self {
      case .exp: return AdLabMath.exp(x)
      case .expm1: return AdLabMath.expm1(x)
      case .log: return AdLabMath.log(x)
      case .log1p: return AdLabMath.log1p(x)
      case .tanh: return AdLabMath.tanh(x)
      case .sigmoid: return AdLabMath.sigmoid(x)
      case .erf: return AdLabMath.erf(x)
      }
    }
  }

  /// Applies `function` to every element of `input`, writing `output` (which must be at least as long).
  /// The switch is taken once per batch; the loop body is the scalar function inlined.
  public static func apply(
    _ function: Function, _ input: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>
  ) {
    let n = Swift.min(input.count, output.count)
    switch function {
    case .exp: for i in 0..<n { output[i] = exp(input[i]) }
    case .expm1: for i in 0..<n { output[i] = expm1(input[i]) }
    case .log: for i in 0..<n { output[i] = log(input[i]) }
    case .log1p: for i in 0..<n { output[i] = log1p(input[i]) }
    case .tanh: for i in 0..<n { output[i] = tanh(input[i]) }
    case .sigmoid: for i in 0..<n { output[i] = sigmoid(input[i]) }
    case .erf: for i in 0..<n { output[i] = erf(input[i]) }
    }
  }

  /// Float batch form of `apply`, vectorised in the FMA classes for exp, log, tanh, sigmoid and erf (the
  /// functions models run in bulk). The vector forms repeat the scalar functions operation for operation (no
  /// fused multiply-add), so every class gives the scalar function's bits; the class only sets the speed.
  public static func apply(
    _ function: Function, _ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>,
    kernels: KernelClass = .current
  ) {
    let n = Swift.min(input.count, output.count)
    guard n > 0, let x = input.baseAddress, let y = output.baseAddress else { return }
    if kernels != .portable, let vector = vectorForm(function, VectorKernels.checked(kernels)) {
      vector(n, x, y, VectorMathConstants.pointer)
      return
    }
    switch function {
    case .exp: for i in 0..<n { y[i] = exp(x[i]) }
    case .expm1: for i in 0..<n { y[i] = expm1(x[i]) }
    case .log: for i in 0..<n { y[i] = log(x[i]) }
    case .log1p: for i in 0..<n { y[i] = log1p(x[i]) }
    case .tanh: for i in 0..<n { y[i] = tanh(x[i]) }
    case .sigmoid: for i in 0..<n { y[i] = sigmoid(x[i]) }
    case .erf: for i in 0..<n { y[i] = erf(x[i]) }
    }
  }

  /// The C batch kernel of `function` in an FMA class, or nil where only the scalar loop exists.
  static func vectorForm(_ function: Function, _ kernels: KernelClass) -> VectorMathKernel? {
    let v4 = kernels == .x86_64_v4
    switch function {
    case .exp: return v4 ? adlab_vexpf_v4 : adlab_vexpf_v3
    case .log: return v4 ? adlab_vlogf_v4 : adlab_vlogf_v3
    case .tanh: return v4 ? adlab_vtanhf_v4 : adlab_vtanhf_v3
    case .sigmoid: return v4 ? adlab_vsigmoidf_v4 : adlab_vsigmoidf_v3
    case .erf: return v4 ? adlab_verff_v4 : adlab_verff_v3
    case .expm1, .log1p: return nil
    }
  }

  typealias VectorMathKernel =
    @convention(c) (
      Int, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, UnsafePointer<adlab_vector_math_constants>?
    ) -> Void
}
