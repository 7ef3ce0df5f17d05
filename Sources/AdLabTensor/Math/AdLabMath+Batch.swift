extension AdLabMath {
  /// The functions that batch forms exist for; each applies the scalar function, so batch and scalar bits agree.
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
  public static func apply(_ function: Function, _ input: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) {
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

  /// Float batch form of `apply`.
  public static func apply(_ function: Function, _ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
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
}
