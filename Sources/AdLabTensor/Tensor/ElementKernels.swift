/// Element functions as caseless types, so that kernels are specialized per function at compile time: no closure
/// or protocol call per element. Each `apply` is the definition used by the forward op and by the tests' docs.
protocol UnaryFunction {
  static func apply<S: TensorScalar>(_ x: S) -> S
  /// The Float batch form for the FMA classes (`VectorKernels` / `AdLabMath.apply`), giving `apply`'s bits;
  /// nil where the scalar loop is all there is.
  static var floatBatch: FloatBatchKernel? { get }
}

extension UnaryFunction {
  static var floatBatch: FloatBatchKernel? { nil }
}

/// `y[0..<n] = f(x[0..<n])` in a given kernel class.
typealias FloatBatchKernel = (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, KernelClass) -> Void

/// The batch form of an AdLabMath function as a `FloatBatchKernel`.
private func mathBatch(_ function: AdLabMath.Function) -> FloatBatchKernel {
  { x, y, n, kernels in
    AdLabMath.apply(
      function, UnsafeBufferPointer(start: x, count: n), into: UnsafeMutableBufferPointer(start: y, count: n),
      kernels: kernels)
  }
}

protocol BinaryFunction {
  static func apply<S: TensorScalar>(_ a: S, _ b: S) -> S
  /// The Float batch form for the FMA classes on equal shapes, giving `apply`'s bits; nil if none.
  static var floatBatch: FloatBinaryBatchKernel? { get }
}

extension BinaryFunction {
  static var floatBatch: FloatBinaryBatchKernel? { nil }
}

/// `c[0..<n] = f(a[0..<n], b[0..<n])` in a given kernel class.
typealias FloatBinaryBatchKernel = (
  UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, KernelClass
) -> Void

enum ElementKernels {
  // MARK: Arithmetic
  enum Add: BinaryFunction { @inline(__always) static func apply<S: TensorScalar>(_ a: S, _ b: S) -> S { a + b } }
  enum Subtract: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ a: S, _ b: S) -> S { a - b }
  }
  enum Multiply: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ a: S, _ b: S) -> S { a * b }
  }
  enum Divide: BinaryFunction { @inline(__always) static func apply<S: TensorScalar>(_ a: S, _ b: S) -> S { a / b } }
  enum Maximum: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ a: S, _ b: S) -> S { a >= b || a.isNaN ? a : b }
  }
  enum Minimum: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ a: S, _ b: S) -> S { a <= b || a.isNaN ? a : b }
  }

  // MARK: Comparisons (1 or 0)
  enum Greater: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ a: S, _ b: S) -> S { a > b ? 1 : 0 }
  }
  enum GreaterEqual: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ a: S, _ b: S) -> S { a >= b ? 1 : 0 }
  }
  enum Less: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ a: S, _ b: S) -> S { a < b ? 1 : 0 }
  }
  enum LessEqual: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ a: S, _ b: S) -> S { a <= b ? 1 : 0 }
  }
  enum Equal: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ a: S, _ b: S) -> S { a == b ? 1 : 0 }
  }
  enum NotEqual: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ a: S, _ b: S) -> S { a != b ? 1 : 0 }
  }

  // MARK: Unary
  enum Negate: UnaryFunction { @inline(__always) static func apply<S: TensorScalar>(_ x: S) -> S { -x } }
  enum Exp: UnaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ x: S) -> S { S.exp(x) }
    static var floatBatch: FloatBatchKernel? { mathBatch(.exp) }
  }
  enum Log: UnaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ x: S) -> S { S.log(x) }
    static var floatBatch: FloatBatchKernel? { mathBatch(.log) }
  }
  enum Sqrt: UnaryFunction { @inline(__always) static func apply<S: TensorScalar>(_ x: S) -> S { x.squareRoot() } }
  enum Square: UnaryFunction { @inline(__always) static func apply<S: TensorScalar>(_ x: S) -> S { x * x } }
  /// `max(x, 0)`; NaN stays NaN.
  enum ReLU: UnaryFunction { @inline(__always) static func apply<S: TensorScalar>(_ x: S) -> S { x < 0 ? 0 : x } }
  /// `1 / (1 + e^-x)` for x >= 0, `e^x / (1 + e^x)` otherwise (no overflow).
  enum Sigmoid: UnaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ x: S) -> S {
      if x >= 0 { return 1 / (1 + S.exp(-x)) }
      let e = S.exp(x)
      return e / (1 + e)
    }
    static var floatBatch: FloatBatchKernel? { { VectorKernels.sigmoid($0, into: $1, count: $2, kernels: $3) } }
  }
  enum Tanh: UnaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ x: S) -> S { S.tanh(x) }
    static var floatBatch: FloatBatchKernel? { mathBatch(.tanh) }
  }
  /// GELU, erf form: `x · Φ(x) = 0.5 · x · (1 + erf(x / √2))`.
  enum GELU: UnaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ x: S) -> S {
      S(0.5) * x * (1 + S.erf(x * S(0.70710678118654752440)))
    }
    static var floatBatch: FloatBatchKernel? { { VectorKernels.gelu($0, into: $1, count: $2, kernels: $3) } }
  }

  // MARK: Derivatives, as (upstream gradient, saved value) -> input gradient
  /// `g · [x > 0]` (saved: the input).
  enum ReLUGrad: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ g: S, _ x: S) -> S { x > 0 ? g : 0 }
  }
  /// `g · y · (1 − y)` (saved: the output y).
  enum SigmoidGrad: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ g: S, _ y: S) -> S { g * (y * (1 - y)) }
  }
  /// `g · (1 − y²)` (saved: the output y).
  enum TanhGrad: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ g: S, _ y: S) -> S { g * (1 - y * y) }
  }
  /// `g · (Φ(x) + x · φ(x))` (saved: the input).
  enum GELUGrad: BinaryFunction {
    @inline(__always) static func apply<S: TensorScalar>(_ g: S, _ x: S) -> S {
      let cdf = S(0.5) * (1 + S.erf(x * S(0.70710678118654752440)))
      let pdf = S(0.39894228040143267794) * S.exp(S(-0.5) * x * x)
      return g * (cdf + x * pdf)
    }
    static var floatBatch: FloatBinaryBatchKernel? {
      { VectorKernels.geluGradient($0, $1, into: $2, count: $3, kernels: $4) }
    }
  }
}
