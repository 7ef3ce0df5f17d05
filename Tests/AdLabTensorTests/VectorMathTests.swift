import Testing

@testable import AdLabTensor

/// The batch (vectorised) forms of AdLabMath give the scalar functions' bits in every kernel class this CPU
/// supports, over edge cases, every binade, and random bit patterns.
struct VectorMathTests {
  /// Inputs that cross every branch and threshold of exp, log, tanh, sigmoid and erf, plus a sweep of every Float
  /// binade (both signs) and random bit patterns (NaNs and infinities included). The count is no multiple of a
  /// vector width, so the padded tail runs too.
  static let inputs: [Float] = {
    var values: [Float] = [
      0, -0.0, .infinity, -.infinity, .nan, -.nan, Float(bitPattern: 0x7FA0_0001), Float.leastNonzeroMagnitude,
      -Float.leastNonzeroMagnitude, Float.leastNormalMagnitude, Float.greatestFiniteMagnitude,
      -Float.greatestFiniteMagnitude, 1, -1, 4, -4, 22, -22, 0x1p-28, -0x1p-28, 0.25, -0.25, 0.5, 11,
      88.72, 88.73, 89, 90, 90.5, 103, -103, -104, -110, -111, -120, -121, -708, -745, -746, 709, 710, 1000,
      1.4142135, 1.4142136, 0.70710677, 0.70710683, 0x1p-126, 0x1p-149, 3.9999998, 4.0000005, 0.99999994, 1.0000001,
    ]
    for exponent in -149...127 {
      for significand: Float in [1, 1.25, 1.4142135, 1.5, 1.9999999] {
        let value = significand * Float(sign: .plus, exponent: exponent, significand: 1)
        values += [value, -value]
      }
    }
    var stream = RandomStream(key: StreamKey(seed: 11).child("vector-math"))
    for _ in 0..<20_000 { values.append(Float(bitPattern: stream.nextUInt32())) }
    for _ in 0..<20_000 { values.append(Float(stream.uniform(in: -30..<30))) }
    return values + [1.5]  // odd count
  }()

  static func scalar(_ function: AdLabMath.Function, _ x: Float) -> Float {
    switch function {
    case .exp: return AdLabMath.exp(x)
    case .expm1: return AdLabMath.expm1(x)
    case .log: return AdLabMath.log(x)
    case .log1p: return AdLabMath.log1p(x)
    case .tanh: return AdLabMath.tanh(x)
    case .sigmoid: return AdLabMath.sigmoid(x)
    case .erf: return AdLabMath.erf(x)
    }
  }

  @Test(arguments: KernelClass.supported)
  func batchGivesTheScalarBitsInEveryClass(_ kernels: KernelClass) {
    let x = Self.inputs
    for function in AdLabMath.Function.allCases {
      var y = [Float](repeating: 0, count: x.count)
      x.withUnsafeBufferPointer { input in
        y.withUnsafeMutableBufferPointer { AdLabMath.apply(function, input, into: $0, kernels: kernels) }
      }
      var mismatches = 0
      for i in x.indices where y[i].bitPattern != Self.scalar(function, x[i]).bitPattern {
        if mismatches < 5 {
          Issue.record(
            "\(function) \(kernels) at \(x[i]) (0x\(String(x[i].bitPattern, radix: 16))): batch \(y[i]), scalar \(Self.scalar(function, x[i]))"
          )
        }
        mismatches += 1
      }
      #expect(mismatches == 0, "\(function) \(kernels): \(mismatches) of \(x.count) differ")
    }
  }

  /// Every start offset and short length (the padded tail of each vector width) in place: y = f(y).
  @Test(arguments: KernelClass.supported)
  func shortAndInPlaceBatches(_ kernels: KernelClass) {
    for count in 0..<20 {
      let x = (0..<count).map { Float($0) * 0.37 - 3 }
      var y = x
      y.withUnsafeMutableBufferPointer { buffer in
        AdLabMath.apply(.tanh, UnsafeBufferPointer(buffer), into: buffer, kernels: kernels)
      }
      #expect(y.map(\.bitPattern) == x.map { AdLabMath.tanh($0).bitPattern }, "count \(count)")
    }
  }
}
