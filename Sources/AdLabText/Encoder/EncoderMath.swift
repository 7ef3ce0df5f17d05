import Foundation

/// Every transcendental function the encoder calls, in one place, so the whole model can be switched to AdLab's
/// own deterministic math (AdLabMath) by editing this file alone. Today: the platform libm, in Float.
enum EncoderMath {
  /// e^x for the softmax (arguments are ≤ 0 after subtracting the row maximum).
  @inline(__always)
  static func exp(_ x: Float) -> Float { Foundation.expf(x) }

  /// The error function for GELU's exact (erf) form, as BERT's `gelu` uses it.
  @inline(__always)
  static func erf(_ x: Float) -> Float { Foundation.erff(x) }
}
