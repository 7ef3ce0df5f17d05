/// Matrix products through `GEMM` (the only place this module multiplies matrices).
///
/// Operands that are transposed views of contiguous tensors (such as `w.transposed()`) are passed to GEMM with its
/// `trans` flag and leading dimension, so they are never copied. Results do not depend on the thread count
/// (`TensorParallelism.current`), because GEMM's results do not.
extension Tensor {
  /// The matrix product of two rank-2 tensors: `[m, k] × [k, n] → [m, n]`.
  ///
  /// - Throws: `TensorError.incompatibleShapes` for other ranks or if the inner dimensions differ, e.g.
  ///   `matmul: shapes [3, 4] and [5, 2] do not align (4 ≠ 5)`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func matmul(_ other: Tensor) throws(TensorError) -> Tensor {
    guard rank == 2, other.rank == 2 else {
      throw .incompatibleShapes(
        op: "matmul", lhs: shape, rhs: other.shape,
        reason: "must both have rank 2 (got \(rank) and \(other.rank)); use batchedMatmul for rank 3")
    }
    guard shape[1] == other.shape[0] else {
      throw .incompatibleShapes(
        op: "matmul", lhs: shape, rhs: other.shape, reason: "do not align (\(shape[1]) ≠ \(other.shape[0]))")
    }
    let m = shape[0]
    let k = shape[1]
    let n = other.shape[1]
    // GEMM with beta = 0 never reads C (BLAS semantics, part of GEMM's contract), so C starts uninitialized.
    let result = Tensor(uninitializedShape: [m, n])
    guard m > 0, n > 0 else { return result }
    let a = MatrixOperand(self)
    let b = MatrixOperand(other)
    withExtendedLifetime((a, b)) {
      Scalar.gemm(
        transA: a.transposed, transB: b.transposed, m: m, n: n, k: k, alpha: 1, a: a.pointer, lda: a.leading,
        b: b.pointer, ldb: b.leading, beta: 0, c: result.basePointer, ldc: n, threads: TensorParallelism.current)
    }
    return result
  }

  /// Batched matrix product: `[b, m, k] × [b, k, n] → [b, m, n]`, or `[b, m, k] × [k, n] → [b, m, n]` with one
  /// right-hand matrix for every batch. One GEMM call per batch (one in all when the right side is shared).
  ///
  /// - Throws: `TensorError.incompatibleShapes` for other ranks, differing batch sizes or inner dimensions.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func batchedMatmul(_ other: Tensor) throws(TensorError) -> Tensor {
    guard rank == 3, other.rank == 3 || other.rank == 2 else {
      throw .incompatibleShapes(
        op: "batchedMatmul", lhs: shape, rhs: other.shape,
        reason: "must have ranks 3 and 3 (or 3 and 2), got \(rank) and \(other.rank)")
    }
    let batch = shape[0]
    let m = shape[1]
    let k = shape[2]
    let otherK = other.shape[other.rank - 2]
    let n = other.shape[other.rank - 1]
    if other.rank == 3 && other.shape[0] != batch {
      throw .incompatibleShapes(
        op: "batchedMatmul", lhs: shape, rhs: other.shape,
        reason: "have different batch sizes (\(batch) ≠ \(other.shape[0]))")
    }
    guard k == otherK else {
      throw .incompatibleShapes(
        op: "batchedMatmul", lhs: shape, rhs: other.shape, reason: "do not align (\(k) ≠ \(otherK))")
    }
    if other.rank == 2 {
      // A shared right-hand matrix: one GEMM over the stacked rows [b·m, k].
      return try contiguous().reshaped([batch * m, k]).matmul(other).reshaped([batch, m, n])
    }
    let result = Tensor(uninitializedShape: [batch, m, n])
    guard batch > 0, m > 0, n > 0 else { return result }
    let lhs = contiguous()
    let rhs = other.contiguous()
    withExtendedLifetime((lhs, rhs)) {
      for index in 0..<batch {
        Scalar.gemm(
          transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: lhs.basePointer + index * m * k, lda: k,
          b: rhs.basePointer + index * k * n, ldb: n, beta: 0, c: result.basePointer + index * m * n, ldc: n,
          threads: TensorParallelism.current)
      }
    }
    return result
  }
}

/// A rank-2 tensor as GEMM sees it: a pointer, a transpose flag and a leading dimension. Keeps the (possibly
/// copied) tensor alive.
struct MatrixOperand<Scalar: TensorScalar> {
  let tensor: Tensor<Scalar>
  let transposed: Bool
  let leading: Int
  var pointer: UnsafePointer<Scalar> { UnsafePointer(tensor.basePointer) }

  init(_ matrix: Tensor<Scalar>) {
    let rows = matrix.shape[0]
    let columns = matrix.shape[1]
    if rows > 1 && columns > 1 && matrix.strides[1] == 1 && matrix.strides[0] >= columns {
      (tensor, transposed, leading) = (matrix, false, matrix.strides[0])  // row-major, maybe with a row gap
    } else if rows > 1 && columns > 1 && matrix.strides[0] == 1 && matrix.strides[1] >= rows {
      (tensor, transposed, leading) = (matrix, true, matrix.strides[1])  // a transposed row-major matrix
    } else {
      (tensor, transposed, leading) = (matrix.contiguous(), false, Swift.max(columns, 1))
    }
  }
}
