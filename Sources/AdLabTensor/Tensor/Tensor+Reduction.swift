/// Reductions. The order of every reduction is fixed by this code, never by threads:
///
/// - along one axis, each output element accumulates its inputs in increasing index order along that axis,
///   starting from the first (`((x₀ + x₁) + x₂) + …`);
/// - over several axes, the axes are reduced one at a time, the highest axis first;
/// - `sum()` over all elements accumulates them in row-major order.
extension Tensor {
  /// The sum of all elements (row-major order), as a rank-0 tensor.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func sum() -> Tensor {
    let source = contiguous()
    var total: Scalar = 0
    withExtendedLifetime(source) {
      let p = source.basePointer
      for i in 0..<count { total += p[i] }
    }
    return Tensor(scalar: total)
  }

  /// The mean of all elements: `sum() / count`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func mean() -> Tensor {
    Tensor(scalar: sum().scalar / Scalar(count))
  }

  /// Sums along `axis`.
  ///
  /// - Parameter keepDims: keep the reduced dimension with size 1.
  /// - Throws: `TensorError.invalidAxis`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func sum(axis: Int, keepDims: Bool = false) throws(TensorError) -> Tensor {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "sum")
    return reduceAxis(axis, keepDims: keepDims, ElementKernels.Add.self)
  }

  /// Sums along each of `axes` (highest first).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func sum(axes: [Int], keepDims: Bool = false) throws(TensorError) -> Tensor {
    var resolved: [Int] = []
    for axis in axes { resolved.append(try TensorError.normalize(axis: axis, shape: shape, op: "sum")) }
    var result = self
    for axis in Set(resolved).sorted(by: >) {
      result = result.reduceAxis(axis, keepDims: true, ElementKernels.Add.self)
    }
    if keepDims { return result }
    let kept = shape.indices.filter { !resolved.contains($0) }.map { shape[$0] }
    return try result.reshaped(kept)
  }

  /// Means along `axis`: the sum divided by the dimension.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func mean(axis: Int, keepDims: Bool = false) throws(TensorError) -> Tensor {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "mean")
    return reduceAxis(axis, keepDims: keepDims, ElementKernels.Add.self) / Scalar(shape[axis])
  }

  /// Maxima along `axis` (NaN propagates).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func max(axis: Int, keepDims: Bool = false) throws(TensorError) -> Tensor {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "max")
    guard shape[axis] > 0 else { throw .invalidShape(op: "max", shape: shape, reason: "has an empty axis \(axis)") }
    return reduceAxis(axis, keepDims: keepDims, ElementKernels.Maximum.self)
  }

  /// The index of the largest element along `axis` (the first one on ties), for each position of the other axes,
  /// in row-major order of the result shape (`shape` without `axis`).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func argmax(axis: Int) throws(TensorError) -> [Int] {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "argmax")
    guard shape[axis] > 0 else {
      throw .invalidShape(op: "argmax", shape: shape, reason: "has an empty axis \(axis)")
    }
    let (outer, n, inner) = layout(axis: axis)
    let source = contiguous()
    var result = [Int](repeating: 0, count: outer * inner)
    withExtendedLifetime(source) {
      let x = source.basePointer
      for o in 0..<outer {
        for j in 0..<inner {
          var best = x[o * n * inner + j]
          var index = 0
          for k in 1..<n {
            let value = x[(o * n + k) * inner + j]
            if value > best {
              best = value
              index = k
            }
          }
          result[o * inner + j] = index
        }
      }
    }
    return result
  }

  /// `log Σ exp(x)` along `axis`, computed stably as `m + log Σ exp(x − m)` with `m` the maximum.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func logSumExp(axis: Int, keepDims: Bool = false) throws(TensorError) -> Tensor {
    let axis = try TensorError.normalize(axis: axis, shape: shape, op: "logSumExp")
    let (outer, n, inner) = layout(axis: axis)
    var outShape = shape
    outShape[axis] = 1
    if !keepDims { outShape.remove(at: axis) }
    let result = Tensor(uninitializedShape: outShape)
    let source = contiguous()
    withExtendedLifetime(source) {
      let x = source.basePointer
      let out = result.basePointer
      for o in 0..<outer {
        for j in 0..<inner {
          let base = x + o * n * inner + j
          var m = -Scalar.infinity
          for k in 0..<n where base[k * inner] > m || base[k * inner].isNaN { m = base[k * inner] }
          if !m.isFinite {  // all −∞ (or empty): −∞; any +∞: +∞; NaN: NaN
            out[o * inner + j] = m
            continue
          }
          var s: Scalar = 0
          for k in 0..<n { s += Scalar.exp(base[k * inner] - m) }
          out[o * inner + j] = m + Scalar.log(s)
        }
      }
    }
    return result
  }

  /// Sums this tensor down to `target`, a shape it was broadcast from: the reduction of a broadcasting
  /// operation's gradient to the operand's shape.
  ///
  /// - Throws: `TensorError.incompatibleShapes` if `target` does not broadcast to `shape`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func sum(toShape target: [Int]) throws(TensorError) -> Tensor {
    if target == shape { return self }
    guard try Tensor.broadcastShape(target, shape, op: "sum(toShape:)") == shape else {
      throw .incompatibleShapes(
        op: "sum(toShape:)", lhs: shape, rhs: target, reason: "cannot be reduced (the target is not broadcastable)")
    }
    let lead = rank - target.count
    let axes = (0..<rank).filter { $0 < lead || (target[$0 - lead] == 1 && shape[$0] != 1) }
    var result = self
    for axis in axes.sorted(by: >) {
      result = result.reduceAxis(axis, keepDims: true, ElementKernels.Add.self)
    }
    return try result.reshaped(target)
  }

  // MARK: - Implementation details

  /// `(outer, n, inner)`: the products of dimensions before, at, and after `axis`.
  func layout(axis: Int) -> (outer: Int, n: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
  }

  /// Folds `K` along `axis` in index order: `out = x[0]; out = K(out, x[k])` for k = 1, 2, ...
  /// An empty axis gives 0 (the sum's identity).
  func reduceAxis<K: BinaryFunction>(_ axis: Int, keepDims: Bool, _: K.Type) -> Tensor {
    let (outer, n, inner) = layout(axis: axis)
    var outShape = shape
    if keepDims { outShape[axis] = 1 } else { outShape.remove(at: axis) }
    let result = Tensor(uninitializedShape: outShape)
    let source = contiguous()
    withExtendedLifetime(source) {
      let x = source.basePointer
      let out = result.basePointer
      if n == 0 {
        out.update(repeating: 0, count: outer * inner)
        return
      }
      if inner == 1 {
        for o in 0..<outer {
          let row = x + o * n
          var acc = row[0]
          for k in 1..<n { acc = K.apply(acc, row[k]) }
          out[o] = acc
        }
      } else {
        // Row k of each block is folded into the output row: vectorizes across j, keeps k order.
        for o in 0..<outer {
          let block = x + o * n * inner
          let outRow = out + o * inner
          outRow.update(from: block, count: inner)
          for k in 1..<n {
            let row = block + k * inner
            for j in 0..<inner { outRow[j] = K.apply(outRow[j], row[j]) }
          }
        }
      }
    }
    return result
  }
}
