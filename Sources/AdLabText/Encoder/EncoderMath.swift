import AdLabTensor

/// Every nonlinear step of the encoder in one place: AdLabTensor's per-class row kernels (`VectorKernels`), whose
/// transcendental functions are AdLab's own (AdLabMath), so embeddings — and every bundle that uses them — do not
/// depend on the platform's libm, and are bit-identical on every machine running the same kernel class.
enum EncoderMath {
  /// In-place softmax of one attention row.
  @inline(__always)
  static func softmax(_ row: UnsafeMutablePointer<Float>, count: Int, kernels: KernelClass) {
    VectorKernels.softmax(row, into: row, count: count, kernels: kernels)
  }

  /// LayerNorm of one hidden row (mean and variance accumulated in Double); `row` and `output` may be the same.
  @inline(__always)
  static func layerNorm(
    _ row: UnsafePointer<Float>, count: Int, gain: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float,
    into output: UnsafeMutablePointer<Float>, kernels: KernelClass
  ) {
    VectorKernels.layerNorm(row, gain: gain, bias: bias, epsilon: epsilon, into: output, count: count, kernels: kernels)
  }

  /// GELU in BERT's exact (erf) form, in place.
  @inline(__always)
  static func gelu(_ values: UnsafeMutablePointer<Float>, count: Int, kernels: KernelClass) {
    VectorKernels.gelu(values, into: values, count: count, kernels: kernels)
  }
}
