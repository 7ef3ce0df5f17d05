internal import CAdLabKernels

extension AdLabMath {
  /// `out[i] = log(x[i])` for every element: element by element the same bits as the scalar ``log(_:)``, computed
  /// on vector lanes (`log_lanes.c`, the same operations in the same order, no fused multiply-add, so the same bits
  /// in every kernel class). Arguments that are not positive normal numbers go through the scalar function.
  /// `x` and `out` may be the same memory.
  ///
  /// For loops that take many logarithms at once: a batch's user vectors, UCB1's ln t, Thompson's gamma tests.
  ///
  /// - Precondition: `out` holds at least `x.count` values.
  public static func log(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
    precondition(out.count >= x.count, "AdLabMath.log(_:into:): output (\(out.count)) shorter than input (\(x.count))")
    guard let input = x.baseAddress, let output = out.baseAddress else { return }
    let count = x.count
    // Special arguments are noted before the kernel runs, since it may overwrite them (x and out may alias).
    var special: [(index: Int, value: Double)] = []
    for i in 0..<count where !(input[i] >= .leastNormalMagnitude && input[i] <= .greatestFiniteMagnitude) {
      special.append((i, input[i]))
    }
    C.logPoly.withUnsafeBufferPointer { poly in
      let p = poly.baseAddress!
      switch KernelClass.current {
      case .portable: adlab_log_lanes_portable(input, output, count, p, C.ln2Head, C.ln2Tail)
      case .x86_64_v3: adlab_log_lanes_v3(input, output, count, p, C.ln2Head, C.ln2Tail)
      case .x86_64_v4: adlab_log_lanes_v4(input, output, count, p, C.ln2Head, C.ln2Tail)
      }
    }
    for (i, value) in special { output[i] = log(value) }
  }
}
