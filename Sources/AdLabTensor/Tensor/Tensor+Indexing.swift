/// Row gathers and scatters along axis 0 (embedding lookups and their sparse updates), and concatenation.
extension Tensor {
  /// The rows `indices` of this tensor along axis 0: shape `[indices.count] + shape[1...]`. Rows may repeat.
  ///
  /// - Throws: `TensorError.invalidShape` for rank 0, `indexOutOfRange` for a bad index.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func gather(rows indices: [Int]) throws(TensorError) -> Tensor {
    guard rank >= 1 else { throw .invalidShape(op: "gather", shape: shape, reason: "has no axis 0") }
    for index in indices where index < 0 || index >= shape[0] {
      throw .indexOutOfRange(op: "gather", index: index, bound: shape[0])
    }
    let width = shape[0] == 0 ? 0 : count / shape[0]
    let result = Tensor(uninitializedShape: [indices.count] + shape.dropFirst())
    let source = contiguous()
    let threads = TensorParallelism.current
    withExtendedLifetime(source) {
      indices.withUnsafeBufferPointer { rows in
        VectorKernels.gather(
          table: source.basePointer, tableRows: shape[0], width: width, rows: rows, into: result.basePointer,
          threads: threads)
      }
    }
    return result
  }

  /// Adds row `i` of `values` to row `indices[i]` of this tensor, for i = 0, 1, 2, ... in that order (repeated
  /// indices accumulate, in order, for any thread count). The transpose of `gather(rows:)`.
  ///
  /// - Throws: `TensorError.incompatibleShapes` unless `values.shape == [indices.count] + shape[1...]`;
  ///   `indexOutOfRange` for a bad index.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func scatterAdd(rows indices: [Int], values: Tensor) throws(TensorError) {
    guard rank >= 1, values.shape == [indices.count] + shape.dropFirst() else {
      throw .incompatibleShapes(
        op: "scatterAdd", lhs: shape, rhs: values.shape,
        reason: "do not match (values must have shape \([indices.count] + shape.dropFirst()))")
    }
    for index in indices where index < 0 || index >= shape[0] {
      throw .indexOutOfRange(op: "scatterAdd", index: index, bound: shape[0])
    }
    let width = shape[0] == 0 ? 0 : count / shape[0]
    let source = values.contiguous()
    ensureUniqueContiguous()
    let threads = TensorParallelism.current
    let tableRows = shape[0]
    withExtendedLifetime(source) {
      indices.withUnsafeBufferPointer { rows in
        VectorKernels.scatterAdd(
          source.basePointer, rows: rows, width: width, into: storage.pointer, tableRows: tableRows, threads: threads)
      }
    }
  }

  /// The tensors joined along `axis`; all other dimensions must agree.
  ///
  /// - Throws: `TensorError.invalidShape` for an empty list, `invalidAxis`, or `incompatibleShapes` naming the
  ///   first tensor's shape and the first one that differs.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func concatenate(_ tensors: [Tensor], axis: Int) throws(TensorError) -> Tensor {
    guard let first = tensors.first else {
      throw .invalidShape(op: "concatenate", shape: [], reason: "needs at least one tensor")
    }
    let axis = try TensorError.normalize(axis: axis, shape: first.shape, op: "concatenate")
    var total = 0
    for tensor in tensors {
      var a = first.shape
      var b = tensor.shape
      if b.count == a.count { (a[axis], b[axis]) = (0, 0) }
      guard a == b else {
        throw .incompatibleShapes(
          op: "concatenate", lhs: first.shape, rhs: tensor.shape,
          reason: "differ outside axis \(axis)")
      }
      total += tensor.shape[axis]
    }
    var outShape = first.shape
    outShape[axis] = total
    let result = Tensor(uninitializedShape: outShape)
    let outer = first.shape[..<axis].reduce(1, *)
    let inner = first.shape[(axis + 1)...].reduce(1, *)
    var column = 0
    for tensor in tensors {
      let source = tensor.contiguous()
      let width = tensor.shape[axis] * inner
      withExtendedLifetime(source) {
        for o in 0..<outer {
          (result.basePointer + o * total * inner + column).update(from: source.basePointer + o * width, count: width)
        }
      }
      column += width
    }
    return result
  }
}
