extension AdLabMath {
  // Float versions: the Double function, rounded once. Error ≤ 0.5 ulp plus the Double error scaled by 2^−29.
  // Disfavoured so that a literal argument means Double, as it does for the C library.
  /// e^x for Float.
  @inline(__always) @_disfavoredOverload public static func exp(_ x: Float) -> Float { Float(exp(Double(x))) }
  /// 2^x for Float.
  @inline(__always) @_disfavoredOverload public static func exp2(_ x: Float) -> Float { Float(exp2(Double(x))) }
  /// e^x − 1 for Float.
  @inline(__always) @_disfavoredOverload public static func expm1(_ x: Float) -> Float { Float(expm1(Double(x))) }
  /// ln x for Float.
  @inline(__always) @_disfavoredOverload public static func log(_ x: Float) -> Float { Float(log(Double(x))) }
  /// ln(1 + x) for Float.
  @inline(__always) @_disfavoredOverload public static func log1p(_ x: Float) -> Float { Float(log1p(Double(x))) }
  /// tanh x for Float.
  @inline(__always) @_disfavoredOverload public static func tanh(_ x: Float) -> Float { Float(tanh(Double(x))) }
  /// 1/(1 + e^−x) for Float.
  @inline(__always) @_disfavoredOverload public static func sigmoid(_ x: Float) -> Float { Float(sigmoid(Double(x))) }
  /// erfc x for Float.
  @inline(__always) @_disfavoredOverload public static func erfc(_ x: Float) -> Float { Float(erfc(Double(x))) }
  /// ln|Γ(x)| for Float.
  @inline(__always) @_disfavoredOverload public static func lgamma(_ x: Float) -> Float { Float(lgamma(Double(x))) }
  /// sin x for Float.
  @inline(__always) @_disfavoredOverload public static func sin(_ x: Float) -> Float { Float(sin(Double(x))) }
  /// cos x for Float.
  @inline(__always) @_disfavoredOverload public static func cos(_ x: Float) -> Float { Float(cos(Double(x))) }
  /// atan x for Float.
  @inline(__always) @_disfavoredOverload public static func atan(_ x: Float) -> Float { Float(atan(Double(x))) }
  /// atan2(y, x) for Float.
  @inline(__always) @_disfavoredOverload public static func atan2(_ y: Float, _ x: Float) -> Float {
    Float(atan2(Double(y), Double(x)))
  }
}
