import AdLabTensor

/// Every transcendental function the encoder calls, in one place: AdLab's own math (AdLabMath), so embeddings —
/// and every bundle that uses them — do not depend on the platform's libm.
enum EncoderMath {
  /// e^x for the softmax (arguments are ≤ 0 after subtracting the row maximum).
  @inline(__always)
  static func exp(_ x: Float) -> Float { AdLabMath.exp(x) }

  /// The error function for GELU's exact (erf) form, as BERT's `gelu` uses it.
  @inline(__always)
  static func erf(_ x: Float) -> Float { AdLabMath.erf(x) }
}
