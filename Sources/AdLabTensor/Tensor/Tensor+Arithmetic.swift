// MARK: - Arithmetic with broadcasting

extension Tensor {
  /// Element-wise sum with numpy broadcasting.
  /// - Throws: `TensorError.incompatibleShapes` if the shapes do not broadcast.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func + (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
    try lhs.zip(rhs, ElementKernels.Add.self, op: "add")
  }
  /// Element-wise difference with numpy broadcasting.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func - (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
    try lhs.zip(rhs, ElementKernels.Subtract.self, op: "subtract")
  }
  /// Element-wise product with numpy broadcasting.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func * (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
    try lhs.zip(rhs, ElementKernels.Multiply.self, op: "multiply")
  }
  /// Element-wise quotient with numpy broadcasting.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func / (lhs: Tensor, rhs: Tensor) throws(TensorError) -> Tensor {
    try lhs.zip(rhs, ElementKernels.Divide.self, op: "divide")
  }

  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func + (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.withScalar(rhs, ElementKernels.Add.self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func + (lhs: Scalar, rhs: Tensor) -> Tensor { rhs.withScalar(lhs, ElementKernels.Add.self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func - (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.withScalar(rhs, ElementKernels.Subtract.self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func - (lhs: Scalar, rhs: Tensor) -> Tensor { rhs.scalarWith(lhs, ElementKernels.Subtract.self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func * (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.withScalar(rhs, ElementKernels.Multiply.self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func * (lhs: Scalar, rhs: Tensor) -> Tensor { rhs.withScalar(lhs, ElementKernels.Multiply.self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func / (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.withScalar(rhs, ElementKernels.Divide.self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func / (lhs: Scalar, rhs: Tensor) -> Tensor { rhs.scalarWith(lhs, ElementKernels.Divide.self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static prefix func - (operand: Tensor) -> Tensor { operand.map(ElementKernels.Negate.self) }

  /// Element-wise maximum with broadcasting (NaN wins).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func maximum(_ other: Tensor) throws(TensorError) -> Tensor {
    try zip(other, ElementKernels.Maximum.self, op: "maximum")
  }
  /// Element-wise minimum with broadcasting (NaN wins).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func minimum(_ other: Tensor) throws(TensorError) -> Tensor {
    try zip(other, ElementKernels.Minimum.self, op: "minimum")
  }

  // MARK: - Comparisons (masks of 1 and 0)

  /// 1 where `self > other`, else 0 (broadcasting). Masks have the tensor's own scalar type, ready to multiply.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func greater(_ other: Tensor) throws(TensorError) -> Tensor {
    try zip(other, ElementKernels.Greater.self, op: "greater")
  }
  /// 1 where `self >= other`, else 0.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func greaterEqual(_ other: Tensor) throws(TensorError) -> Tensor {
    try zip(other, ElementKernels.GreaterEqual.self, op: "greaterEqual")
  }
  /// 1 where `self < other`, else 0.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func less(_ other: Tensor) throws(TensorError) -> Tensor {
    try zip(other, ElementKernels.Less.self, op: "less")
  }
  /// 1 where `self <= other`, else 0.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func lessEqual(_ other: Tensor) throws(TensorError) -> Tensor {
    try zip(other, ElementKernels.LessEqual.self, op: "lessEqual")
  }
  /// 1 where `self == other`, else 0.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func equal(_ other: Tensor) throws(TensorError) -> Tensor {
    try zip(other, ElementKernels.Equal.self, op: "equal")
  }
  /// 1 where `self != other`, else 0.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func notEqual(_ other: Tensor) throws(TensorError) -> Tensor {
    try zip(other, ElementKernels.NotEqual.self, op: "notEqual")
  }
  /// 1 where `self > value`, else 0.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func greater(_ value: Scalar) -> Tensor { withScalar(value, ElementKernels.Greater.self) }
  /// 1 where `self < value`, else 0.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func less(_ value: Scalar) -> Tensor { withScalar(value, ElementKernels.Less.self) }

  // MARK: - Unary functions and activations

  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func exp() -> Tensor { map(ElementKernels.Exp.self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func log() -> Tensor { map(ElementKernels.Log.self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func squareRoot() -> Tensor { map(ElementKernels.Sqrt.self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func squared() -> Tensor { map(ElementKernels.Square.self) }
  /// `max(x, 0)`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func relu() -> Tensor { map(ElementKernels.ReLU.self) }
  /// `1 / (1 + e^-x)`, computed without overflow for large |x|.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func sigmoid() -> Tensor { map(ElementKernels.Sigmoid.self) }
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func tanh() -> Tensor { map(ElementKernels.Tanh.self) }
  /// GELU in its exact erf form, `0.5 · x · (1 + erf(x / √2))` (not the tanh approximation).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func gelu() -> Tensor { map(ElementKernels.GELU.self) }

  // MARK: - Implementation details

  /// `K.apply(element, value)`.
  func withScalar<K: BinaryFunction>(_ value: Scalar, _: K.Type) -> Tensor {
    // Broadcasting against a rank-0 tensor cannot fail.
    (try? zip(Tensor(scalar: value), K.self, op: "scalar")) ?? self
  }

  /// `K.apply(value, element)`.
  func scalarWith<K: BinaryFunction>(_ value: Scalar, _: K.Type) -> Tensor {
    (try? Tensor(scalar: value).zip(self, K.self, op: "scalar")) ?? self
  }
}
