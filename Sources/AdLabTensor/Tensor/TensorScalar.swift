/// The element type of a checkpointed tensor.
public enum DType: UInt8, Sendable, CustomStringConvertible {
  /// IEEE 754 binary32 (`Float`).
  case float32 = 1
  /// IEEE 754 binary64 (`Double`).
  case float64 = 2

  public var description: String { self == .float32 ? "float32" : "float64" }
}

/// A floating-point type that tensors can hold: `Float` or `Double`.
///
/// The protocol collects the few things the tensor core needs beyond `BinaryFloatingPoint`: the transcendental
/// functions (each `AdLabMath`'s, so results do not depend on the C library), the GEMM entry point, and the
/// bit pattern used by checkpoints. Tensor code is written once, generic over `Scalar`; inside the module, whole-
/// module optimization specializes every kernel for `Float` and `Double`, so no protocol call remains in a hot loop.
public protocol TensorScalar: BinaryFloatingPoint, Sendable, CustomStringConvertible
where RawSignificand: FixedWidthInteger {
  /// The checkpoint type tag.
  static var dtype: DType { get }
  /// The value as a `Double` (exact).
  var doubleValue: Double { get }
  /// The IEEE bit pattern, zero-extended to 64 bits.
  var bitPattern64: UInt64 { get }
  /// The value with the given IEEE bit pattern (the low `MemoryLayout<Self>.size * 8` bits).
  init(bitPattern64: UInt64)

  static func exp(_ x: Self) -> Self
  static func log(_ x: Self) -> Self
  static func log1p(_ x: Self) -> Self
  static func tanh(_ x: Self) -> Self
  static func erf(_ x: Self) -> Self

  /// Row-major `C = alpha·op(A)·op(B) + beta·C`; forwards to `GEMM.sgemm` or `GEMM.dgemm`.
  static func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
    b: UnsafePointer<Self>, ldb: Int, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int, threads: Int)
}

extension Float: TensorScalar {
  public static var dtype: DType { .float32 }
  public var doubleValue: Double { Double(self) }
  public var bitPattern64: UInt64 { UInt64(bitPattern) }
  public init(bitPattern64: UInt64) { self.init(bitPattern: UInt32(truncatingIfNeeded: bitPattern64)) }
  @inline(__always) public static func exp(_ x: Float) -> Float { AdLabMath.exp(x) }
  @inline(__always) public static func log(_ x: Float) -> Float { AdLabMath.log(x) }
  @inline(__always) public static func log1p(_ x: Float) -> Float { AdLabMath.log1p(x) }
  @inline(__always) public static func tanh(_ x: Float) -> Float { AdLabMath.tanh(x) }
  @inline(__always) public static func erf(_ x: Float) -> Float { AdLabMath.erf(x) }
  public static func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int
  ) {
    GEMM.sgemm(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
      beta: beta, c: c, ldc: ldc, threads: threads)
  }
}

extension Double: TensorScalar {
  public static var dtype: DType { .float64 }
  public var doubleValue: Double { self }
  public var bitPattern64: UInt64 { bitPattern }
  public init(bitPattern64: UInt64) { self.init(bitPattern: bitPattern64) }
  @inline(__always) public static func exp(_ x: Double) -> Double { AdLabMath.exp(x) }
  @inline(__always) public static func log(_ x: Double) -> Double { AdLabMath.log(x) }
  @inline(__always) public static func log1p(_ x: Double) -> Double { AdLabMath.log1p(x) }
  @inline(__always) public static func tanh(_ x: Double) -> Double { AdLabMath.tanh(x) }
  @inline(__always) public static func erf(_ x: Double) -> Double { AdLabMath.erf(x) }
  public static func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
    b: UnsafePointer<Double>, ldb: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int, threads: Int
  ) {
    GEMM.dgemm(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
      beta: beta, c: c, ldc: ldc, threads: threads)
  }
}
