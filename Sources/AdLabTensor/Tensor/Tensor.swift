/// An n-dimensional array of `Float` or `Double` with value semantics.
///
/// A tensor is a view (`shape`, `strides`, `offset`) over a shared, contiguous, copy-on-write buffer. Views made by
/// `slice`, `transposed`, `permuted`, `broadcasted(to:)` and (for contiguous tensors) `reshaped` share the buffer;
/// the first write to a shared or non-contiguous tensor copies it (`@inline(never)` slow path). Operations allocate
/// a fresh contiguous result; they read views in place when they can (GEMM reads transposed operands through its
/// `trans` flags) and otherwise materialize them once per call.
///
/// ```swift
/// let x = Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let y = try x + Tensor(shape: [3], scalars: [10, 20, 30])   // broadcasting
/// let s = try y.sum(axis: 1)                                   // [2]
/// ```
///
/// Shape errors in operations are thrown as `TensorError`; misuse of constructors and subscripts (wrong element
/// count, index out of range) is a programmer error and stops with a `precondition` message.
public struct Tensor<Scalar: TensorScalar>: Sendable {
  var storage: TensorStorage<Scalar>
  /// The size of each dimension. A rank-0 tensor (`[]`) holds one scalar.
  public private(set) var shape: [Int]
  /// The distance in elements between neighbours along each dimension (0 for broadcast dimensions).
  public private(set) var strides: [Int]
  /// The position of element `[0, 0, ...]` in the buffer.
  var offset: Int
  /// The number of elements: the product of `shape`.
  public let count: Int

  // MARK: - Creation

  /// A tensor of `shape` with every element equal to `value`.
  ///
  /// - Precondition: every dimension is non-negative.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public init(shape: [Int], repeating value: Scalar = 0) {
    let count = Tensor.checkedCount(shape)
    self.init(storage: TensorStorage(count: count, repeating: value), shape: shape)
  }

  /// A tensor of `shape` holding `scalars` in row-major order.
  ///
  /// - Precondition: `scalars.count` equals the product of `shape`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public init(shape: [Int], scalars: [Scalar]) {
    let count = Tensor.checkedCount(shape)
    precondition(
      scalars.count == count, "Tensor(shape:scalars:): shape \(shape) needs \(count) scalars, got \(scalars.count)")
    let storage = TensorStorage<Scalar>(uninitializedCount: count)
    scalars.withUnsafeBufferPointer { source in
      if let base = source.baseAddress { storage.pointer.initialize(from: base, count: count) }
    }
    self.init(storage: storage, shape: shape)
  }

  /// A vector (rank 1) holding `scalars`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public init(_ scalars: [Scalar]) {
    self.init(shape: [scalars.count], scalars: scalars)
  }

  /// A rank-0 tensor holding `scalar`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public init(scalar: Scalar) {
    self.init(shape: [], scalars: [scalar])
  }

  /// A tensor of zeros.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }
  /// A tensor of ones.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

  /// A contiguous tensor over `storage` starting at element 0.
  init(storage: TensorStorage<Scalar>, shape: [Int]) {
    self.storage = storage
    self.shape = shape
    self.strides = Tensor.contiguousStrides(shape)
    self.offset = 0
    self.count = Tensor.checkedCount(shape)
  }

  /// A view over `storage`.
  init(storage: TensorStorage<Scalar>, shape: [Int], strides: [Int], offset: Int) {
    self.storage = storage
    self.shape = shape
    self.strides = strides
    self.offset = offset
    self.count = Tensor.checkedCount(shape)
  }

  /// A contiguous tensor whose elements are not initialized; the caller writes all of them through `basePointer`.
  init(uninitializedShape shape: [Int]) {
    self.init(storage: TensorStorage(uninitializedCount: Tensor.checkedCount(shape)), shape: shape)
  }

  // MARK: - Elements

  /// The number of dimensions.
  public var rank: Int { shape.count }

  /// The elements in row-major order.
  public var scalars: [Scalar] {
    let source = contiguous()
    return withExtendedLifetime(source) {
      Array(UnsafeBufferPointer(start: source.basePointer, count: count))
    }
  }

  /// The only element of a tensor with one element.
  ///
  /// - Precondition: `count == 1`.
  public var scalar: Scalar {
    precondition(count == 1, "Tensor.scalar: the tensor has shape \(shape), not one element")
    return storage.pointer[offset]
  }

  /// The element at `indices` (one index per dimension).
  ///
  /// - Precondition: `indices.count == rank` and each index is in range.
  public subscript(indices: Int...) -> Scalar {
    get { storage.pointer[position(of: indices)] }
    set {
      ensureUniqueContiguous()
      storage.pointer[position(of: indices)] = newValue
    }
  }

  /// Whether the elements lie in row-major order without gaps (strides of size-1 dimensions are ignored).
  public var isContiguous: Bool {
    var expected = 1
    for axis in stride(from: rank - 1, through: 0, by: -1) where shape[axis] != 1 {
      if strides[axis] != expected { return false }
      expected *= shape[axis]
    }
    return true
  }

  /// `self` if contiguous, else a contiguous copy. Either way the elements can be read from `basePointer`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func contiguous() -> Tensor {
    isContiguous ? self : materialized()
  }

  /// Calls `body` with the elements in row-major order (copying first only if the tensor is a strided view).
  public func withUnsafeBufferPointer<R, E: Error>(
    _ body: (UnsafeBufferPointer<Scalar>) throws(E) -> R
  ) throws(E) -> R {
    let source = contiguous()
    defer { withExtendedLifetime(source) {} }
    return try body(UnsafeBufferPointer(start: source.basePointer, count: count))
  }

  /// Calls `body` with the elements in row-major order for writing. Copies first unless the buffer is uniquely
  /// owned, contiguous and exactly this tensor's size.
  public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
    _ body: (UnsafeMutableBufferPointer<Scalar>) throws(E) -> R
  ) throws(E) -> R {
    ensureUniqueContiguous()
    return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
  }

  // MARK: - Implementation details

  /// Address of element `[0, 0, ...]`. Valid while `self` (or another owner of `storage`) is alive.
  var basePointer: UnsafeMutablePointer<Scalar> { storage.pointer + offset }

  /// Makes `storage` uniquely owned, contiguous, starting at 0 and exactly `count` long.
  @inline(__always)
  mutating func ensureUniqueContiguous() {
    if isKnownUniquelyReferenced(&storage) && offset == 0 && storage.count == count && isContiguous { return }
    makeUniqueContiguousCopy()
  }

  @inline(never)
  mutating func makeUniqueContiguousCopy() {
    self = materialized()
  }

  func position(of indices: [Int]) -> Int {
    precondition(indices.count == rank, "Tensor subscript: \(indices.count) indices for shape \(shape)")
    var position = offset
    for axis in 0..<rank {
      precondition(
        indices[axis] >= 0 && indices[axis] < shape[axis],
        "Tensor subscript: index \(indices[axis]) out of range 0..<\(shape[axis]) at axis \(axis)")
      position += indices[axis] * strides[axis]
    }
    return position
  }

  static func checkedCount(_ shape: [Int]) -> Int {
    var count = 1
    for dimension in shape {
      precondition(dimension >= 0, "Tensor: dimensions must be non-negative, got shape \(shape)")
      count *= dimension
    }
    return count
  }

  static func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[axis] = running
      running *= Swift.max(shape[axis], 1)
    }
    return strides
  }
}

extension Tensor: Equatable {
  /// Equal shapes and equal elements (by `==`, so NaN is never equal).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
    lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
  }
}

extension Tensor: CustomStringConvertible {
  /// `Tensor<Float>[2, 2]([1.0, 2.0, 3.0, 4.0])`, with at most 16 elements shown.
  public var description: String {
    let shown = scalars.prefix(16).map { "\($0)" }.joined(separator: ", ")
    return "Tensor<\(Scalar.self)>\(shape)([\(shown)\(count > 16 ? ", ..." : "")])"
  }
}
