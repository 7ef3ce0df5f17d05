/// Views that share the buffer: reshape, permute, transpose, slice, broadcast. None copies elements except
/// `reshaped` of a non-contiguous tensor, which must.
extension Tensor {
  /// The same elements in row-major order under a new shape. At most one dimension may be `-1` (inferred).
  ///
  /// No copy when the tensor is contiguous.
  /// - Throws: `TensorError.invalidShape` if the counts differ.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func reshaped(_ newShape: [Int]) throws(TensorError) -> Tensor {
    var resolved = newShape
    let inferred = newShape.indices.filter { newShape[$0] == -1 }
    if inferred.count > 1 || newShape.contains(where: { $0 < -1 }) {
      throw .invalidShape(op: "reshape", shape: newShape, reason: "has more than one -1 or a negative dimension")
    }
    if let axis = inferred.first {
      let known = newShape.reduce(1) { $1 == -1 ? $0 : $0 * $1 }
      guard known > 0, count % known == 0 else {
        throw .invalidShape(op: "reshape", shape: newShape, reason: "cannot hold the \(count) elements of \(shape)")
      }
      resolved[axis] = count / known
    }
    guard resolved.reduce(1, *) == count else {
      throw .invalidShape(
        op: "reshape", shape: newShape,
        reason: "holds \(resolved.reduce(1, *)) elements, but the tensor of shape \(shape) has \(count)")
    }
    let source = contiguous()
    return Tensor(
      storage: source.storage, shape: resolved, strides: Tensor.contiguousStrides(resolved), offset: source.offset)
  }

  /// The tensor with its dimensions reordered: dimension `i` of the result is dimension `axes[i]` of `self`.
  ///
  /// - Throws: `TensorError.invalidShape` unless `axes` is a permutation of `0..<rank`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func permuted(_ axes: [Int]) throws(TensorError) -> Tensor {
    guard axes.count == rank, axes.sorted() == Array(0..<rank) else {
      throw .invalidShape(op: "permute", shape: shape, reason: "cannot be permuted by \(axes)")
    }
    return Tensor(
      storage: storage, shape: axes.map { shape[$0] }, strides: axes.map { strides[$0] }, offset: offset)
  }

  /// The tensor with its last two dimensions swapped (a matrix transpose for rank 2). A view.
  ///
  /// - Precondition: `rank >= 2`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func transposed() -> Tensor {
    precondition(rank >= 2, "Tensor.transposed: needs rank >= 2, got shape \(shape)")
    var axes = Array(0..<rank)
    axes.swapAt(rank - 1, rank - 2)
    return Tensor(
      storage: storage, shape: axes.map { shape[$0] }, strides: axes.map { strides[$0] }, offset: offset)
  }

  /// The elements whose index along `axis` lies in `range`; a view.
  ///
  /// - Throws: `TensorError.invalidAxis`, or `indexOutOfRange` if `range` is not within the dimension.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func slice(axis: Int, _ range: Range<Int>) throws(TensorError) -> Tensor {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "slice")
    guard range.lowerBound >= 0, range.upperBound <= shape[axis] else {
      throw .indexOutOfRange(
        op: "slice", index: range.lowerBound < 0 ? range.lowerBound : range.upperBound, bound: shape[axis] + 1)
    }
    var newShape = shape
    newShape[axis] = range.count
    return Tensor(
      storage: storage, shape: newShape, strides: strides, offset: offset + range.lowerBound * strides[axis])
  }

  /// The tensor repeated along broadcast dimensions to `target` (numpy rules); a view with stride 0 there.
  ///
  /// - Throws: `TensorError.incompatibleShapes` if `shape` does not broadcast to `target`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func broadcasted(to target: [Int]) throws(TensorError) -> Tensor {
    guard target.count >= rank else {
      throw .incompatibleShapes(
        op: "broadcast", lhs: shape, rhs: target, reason: "cannot be broadcast (the target has lower rank)")
    }
    let lead = target.count - rank
    var newStrides = [Int](repeating: 0, count: target.count)
    for axis in 0..<rank {
      if shape[axis] == target[lead + axis] {
        newStrides[lead + axis] = strides[axis]
      } else if shape[axis] != 1 {
        throw .incompatibleShapes(
          op: "broadcast", lhs: shape, rhs: target,
          reason: "cannot be broadcast (\(shape[axis]) ≠ \(target[lead + axis]) at axis \(lead + axis))")
      }
    }
    return Tensor(storage: storage, shape: target, strides: newStrides, offset: offset)
  }

  /// The tensor with a dimension of size 1 inserted at `axis` (`0...rank`); a view.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func expandingShape(at axis: Int) throws(TensorError) -> Tensor {
    let resolved = axis < 0 ? axis + rank + 1 : axis
    guard resolved >= 0 && resolved <= rank else {
      throw .invalidAxis(op: "expandingShape", axis: axis, shape: shape)
    }
    var newShape = shape
    var newStrides = strides
    newShape.insert(1, at: resolved)
    newStrides.insert(0, at: resolved)
    return Tensor(storage: storage, shape: newShape, strides: newStrides, offset: offset)
  }

  // MARK: - Implementation details

  /// A contiguous copy of this (possibly strided) view.
  func materialized() -> Tensor {
    let result = Tensor(uninitializedShape: shape)
    guard count > 0 else { return result }
    let source = basePointer
    let destination = result.basePointer
    withExtendedLifetime(self) {
      Tensor.forEachRow(shape: shape, strides: strides) { sourceOffset, rowIndex, length, step in
        let out = destination + rowIndex * length
        if step == 1 {
          out.update(from: source + sourceOffset, count: length)
        } else {
          var position = sourceOffset
          for j in 0..<length {
            out[j] = source[position]
            position &+= step
          }
        }
      }
    }
    return result
  }

  /// Visits each row (all indices but the last) in row-major order: `body(offset, row, length, lastStride)`,
  /// where `offset` is the element offset of the row's first element under `strides`.
  @inline(__always)
  static func forEachRow(
    shape: [Int], strides: [Int], _ body: (_ offset: Int, _ row: Int, _ length: Int, _ step: Int) -> Void
  ) {
    let rank = shape.count
    if rank == 0 {
      body(0, 0, 1, 1)
      return
    }
    let length = shape[rank - 1]
    let step = strides[rank - 1]
    let rows = shape.dropLast().reduce(1, *)
    if rows == 0 || length == 0 { return }
    var counter = [Int](repeating: 0, count: rank)
    var position = 0
    for row in 0..<rows {
      body(position, row, length, step)
      // Advance the counter over axes rank-2 ... 0.
      var axis = rank - 2
      while axis >= 0 {
        counter[axis] += 1
        position += strides[axis]
        if counter[axis] < shape[axis] { break }
        position -= strides[axis] * shape[axis]
        counter[axis] = 0
        axis -= 1
      }
    }
  }
}
