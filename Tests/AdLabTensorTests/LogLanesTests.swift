import Testing

@testable import AdLabTensor

/// `AdLabMath.log(_:into:)` (the lane kernel of every class the CPU supports) gives the scalar function's bits
/// element by element: on the uniforms it is built for, across the exponent range, around the reduction's switch
/// at √2, and for the special values it hands to the scalar path; also in place.
struct LogLanesTests {
  func check(_ values: [Double], _ kernels: KernelClass) throws {
    var out = [Double](repeating: 0, count: values.count)
    var inPlace = values
    try KernelClass.withClass(kernels) {
      values.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { AdLabMath.log(x, into: $0) } }
      inPlace.withUnsafeMutableBufferPointer { AdLabMath.log(UnsafeBufferPointer($0), into: $0) }
    }
    for (i, x) in values.enumerated() {
      let expected = AdLabMath.log(x)
      #expect(out[i].bitPattern == expected.bitPattern || (out[i].isNaN && expected.isNaN), "log(\(x)), \(kernels)")
      #expect(inPlace[i].bitPattern == out[i].bitPattern || (inPlace[i].isNaN && out[i].isNaN), "in place, log(\(x))")
    }
  }

  @Test(arguments: KernelClass.supported)
  func matchesScalarOnUniforms(_ kernels: KernelClass) throws {
    var stream = RandomStream(key: StreamKey(seed: 51))
    try check((0..<50_000).map { _ in 1 - stream.uniform() }, kernels)
  }

  @Test(arguments: KernelClass.supported)
  func matchesScalarAcrossExponents(_ kernels: KernelClass) throws {
    var stream = RandomStream(key: StreamKey(seed: 52))
    try check((0..<20_000).map { _ in AdLabMath.exp(stream.uniform(in: -740..<709)) }, kernels)
    try check((0..<4_000).map { Double(bitPattern: 1.4142135623730951.bitPattern &+ UInt64($0) &- 2_000) }, kernels)
    try check((0..<4_000).map { Double(bitPattern: 1.0.bitPattern &+ UInt64($0) &- 2_000) }, kernels)
  }

  @Test(arguments: KernelClass.supported)
  func specialArgumentsTakeTheScalarPath(_ kernels: KernelClass) throws {
    try check(
      [
        0, -0.0, -1, .infinity, -.infinity, .nan, 0x1p-1074, 0x1p-1030, .greatestFiniteMagnitude, 1, 2, 0.5, 3, 1e-300,
        1e300, 7, .leastNormalMagnitude,
      ], kernels)
  }
}
