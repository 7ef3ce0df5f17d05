/// Element-wise kernels: unary maps and broadcasting binary operations.
///
/// Broadcasting follows numpy: shapes are aligned at the right, and a dimension of 1 (or a missing one) repeats.
/// Each element is computed independently, so splitting work across threads never changes a bit.
extension Tensor {
  // MARK: - Kernels

  /// `K.apply` on every element.
  func map<K: UnaryFunction>(_: K.Type) -> Tensor {
    let source = contiguous()
    let result = Tensor(uninitializedShape: shape)
    nonisolated(unsafe) let input = source.basePointer
    nonisolated(unsafe) let output = result.basePointer
    // Each chunk writes only its own range of `output`.
    let kernels = KernelClass.current  // read here: Dispatch workers do not inherit the task-local
    withExtendedLifetime(source) {
      if Scalar.self == Float.self, kernels != .portable, let batch = K.floatBatch {
        nonisolated(unsafe) let x = UnsafeRawPointer(input).assumingMemoryBound(to: Float.self)
        nonisolated(unsafe) let y = UnsafeMutableRawPointer(output).assumingMemoryBound(to: Float.self)
        TensorParallelism.forEachChunk(count: count) { range in
          batch(x + range.lowerBound, y + range.lowerBound, range.count, kernels)
        }
        return
      }
      TensorParallelism.forEachChunk(count: count) { range in
        for i in range { output[i] = K.apply(input[i]) }
      }
    }
    return result
  }

  /// `K.apply(self, other)` with numpy broadcasting.
  func zip<K: BinaryFunction>(_ other: Tensor, _: K.Type, op: String) throws(TensorError) -> Tensor {
    let outShape = try Tensor.broadcastShape(shape, other.shape, op: op)
    let result = Tensor(uninitializedShape: outShape)
    let n = result.count
    if n == 0 { return result }
    let lhs = contiguous()
    let rhs = other.contiguous()
    nonisolated(unsafe) let a = lhs.basePointer
    nonisolated(unsafe) let b = rhs.basePointer
    nonisolated(unsafe) let c = result.basePointer
    let kernels = KernelClass.current  // read here: Dispatch workers do not inherit the task-local
    withExtendedLifetime((lhs, rhs)) {
      if lhs.count == n && rhs.count == n, Scalar.self == Float.self, kernels != .portable, let batch = K.floatBatch {
        nonisolated(unsafe) let x = UnsafeRawPointer(a).assumingMemoryBound(to: Float.self)
        nonisolated(unsafe) let y = UnsafeRawPointer(b).assumingMemoryBound(to: Float.self)
        nonisolated(unsafe) let z = UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self)
        TensorParallelism.forEachChunk(count: n) { range in
          batch(x + range.lowerBound, y + range.lowerBound, z + range.lowerBound, range.count, kernels)
        }
      } else if lhs.count == n && rhs.count == n {
        TensorParallelism.forEachChunk(count: n) { range in
          for i in range { c[i] = K.apply(a[i], b[i]) }
        }
      } else if rhs.count == 1 {
        let value = b[0]
        TensorParallelism.forEachChunk(count: n) { range in
          for i in range { c[i] = K.apply(a[i], value) }
        }
      } else if lhs.count == 1 {
        let value = a[0]
        TensorParallelism.forEachChunk(count: n) { range in
          for i in range { c[i] = K.apply(value, b[i]) }
        }
      } else if lhs.count == n && Tensor.isTrailing(rhs.shape, of: outShape) {
        // [rows, inner] op [inner]: a bias row repeated.
        let inner = rhs.count
        for row in 0..<(n / inner) {
          let aRow = a + row * inner
          let cRow = c + row * inner
          for j in 0..<inner { cRow[j] = K.apply(aRow[j], b[j]) }
        }
      } else if rhs.count == n && Tensor.isTrailing(lhs.shape, of: outShape) {
        let inner = lhs.count
        for row in 0..<(n / inner) {
          let bRow = b + row * inner
          let cRow = c + row * inner
          for j in 0..<inner { cRow[j] = K.apply(a[j], bRow[j]) }
        }
      } else {
        Tensor.zipGeneral(K.self, lhs, rhs, outShape: outShape, into: c)
      }
    }
    return result
  }

  /// The general broadcasting loop: rows of the output in row-major order, each with its own strides.
  static func zipGeneral<K: BinaryFunction>(
    _: K.Type, _ lhs: Tensor, _ rhs: Tensor, outShape: [Int], into c: UnsafeMutablePointer<Scalar>
  ) {
    let lhsStrides = broadcastStrides(lhs.shape, outShape)
    let rhsStrides = broadcastStrides(rhs.shape, outShape)
    let a = lhs.basePointer
    let b = rhs.basePointer
    // Walk the output's rows, tracking both operands' positions with their broadcast strides.
    let rank = outShape.count
    let length = outShape[rank - 1]
    let aStep = lhsStrides[rank - 1]
    let bStep = rhsStrides[rank - 1]
    let rows = outShape.dropLast().reduce(1, *)
    var counter = [Int](repeating: 0, count: rank)
    var aPos = 0
    var bPos = 0
    for row in 0..<rows {
      let cRow = c + row * length
      var ai = aPos
      var bi = bPos
      for j in 0..<length {
        cRow[j] = K.apply(a[ai], b[bi])
        ai &+= aStep
        bi &+= bStep
      }
      var axis = rank - 2
      while axis >= 0 {
        counter[axis] += 1
        aPos += lhsStrides[axis]
        bPos += rhsStrides[axis]
        if counter[axis] < outShape[axis] { break }
        aPos -= lhsStrides[axis] * outShape[axis]
        bPos -= rhsStrides[axis] * outShape[axis]
        counter[axis] = 0
        axis -= 1
      }
    }
  }

  // MARK: - Shape helpers

  /// The numpy broadcast of two shapes, or `incompatibleShapes` naming `op`.
  static func broadcastShape(_ lhs: [Int], _ rhs: [Int], op: String) throws(TensorError) -> [Int] {
    if lhs == rhs { return lhs }
    let rank = Swift.max(lhs.count, rhs.count)
    var result = [Int](repeating: 1, count: rank)
    for axis in 0..<rank {
      let l = axis < rank - lhs.count ? 1 : lhs[axis - (rank - lhs.count)]
      let r = axis < rank - rhs.count ? 1 : rhs[axis - (rank - rhs.count)]
      if l == r || r == 1 {
        result[axis] = l
      } else if l == 1 {
        result[axis] = r
      } else {
        throw .incompatibleShapes(
          op: op, lhs: lhs, rhs: rhs, reason: "cannot be broadcast (\(l) ≠ \(r) at axis \(axis - rank))")
      }
    }
    return result
  }

  /// Contiguous strides of `shape` seen in `outShape`'s rank, 0 on repeated dimensions.
  static func broadcastStrides(_ shape: [Int], _ outShape: [Int]) -> [Int] {
    let own = contiguousStrides(shape)
    let lead = outShape.count - shape.count
    var result = [Int](repeating: 0, count: outShape.count)
    for axis in 0..<shape.count where shape[axis] == outShape[lead + axis] && shape[axis] != 1 {
      result[lead + axis] = own[axis]
    }
    return result
  }

  /// Whether `shape` (less leading 1s) equals the trailing dimensions of `outShape`.
  static func isTrailing(_ shape: [Int], of outShape: [Int]) -> Bool {
    let trimmed = shape.drop(while: { $0 == 1 })
    return trimmed.count <= outShape.count && outShape.suffix(trimmed.count).elementsEqual(trimmed)
  }
}
