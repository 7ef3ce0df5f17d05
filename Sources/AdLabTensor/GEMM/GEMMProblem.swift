/// One GEMM call's operands, as given to ``GEMM``; shared read-only by all workers.
struct GEMMProblem<Scalar: BinaryFloatingPoint> {
  let transA: Bool
  let transB: Bool
  let m: Int
  let n: Int
  let k: Int
  let alpha: Scalar
  let a: UnsafePointer<Scalar>
  let lda: Int
  let b: UnsafePointer<Scalar>
  let ldb: Int
  let beta: Scalar
  let c: UnsafeMutablePointer<Scalar>
  let ldc: Int

  /// Checks sizes and strides; a violation is a programmer error.
  func validate(threads: Int, routine: String) {
    precondition(m >= 0, "\(routine): m must be >= 0 (got \(m))")
    precondition(n >= 0, "\(routine): n must be >= 0 (got \(n))")
    precondition(k >= 0, "\(routine): k must be >= 0 (got \(k))")
    precondition(threads >= 1, "\(routine): threads must be >= 1 (got \(threads))")
    let aCols = transA ? m : k
    let bCols = transB ? k : n
    precondition(
      lda >= max(1, aCols),
      "\(routine): lda must be >= max(1, \(transA ? "m" : "k")) = \(max(1, aCols)) (got \(lda))")
    precondition(
      ldb >= max(1, bCols),
      "\(routine): ldb must be >= max(1, \(transB ? "k" : "n")) = \(max(1, bCols)) (got \(ldb))")
    precondition(
      ldc >= max(1, n), "\(routine): ldc must be >= max(1, n) = \(max(1, n)) (got \(ldc))")
  }

  /// Element `(i, p)` of `op(A)`.
  @inline(__always)
  func opA(_ i: Int, _ p: Int) -> UnsafePointer<Scalar> {
    transA ? a + (p &* lda &+ i) : a + (i &* lda &+ p)
  }

  /// `C = beta · C` over the whole matrix (used when `k == 0` or `alpha == 0`).
  func scaleC() {
    for i in 0..<m {
      let row = c + i &* ldc
      if beta == 0 {
        row.update(repeating: 0, count: n)
      } else if beta != 1 {
        for j in 0..<n { row[j] = beta * row[j] }
      }
    }
  }
}

/// How a micro-kernel seeds its accumulators from `C` (the `beta` step of the contract).
enum GEMMTileStart {
  /// `c = 0`: first `KC` block with `beta == 0` (C is not read, so NaNs in it vanish).
  case zero
  /// `c = beta · C`: first `KC` block with `beta ∉ {0, 1}`.
  case scaled
  /// `c = C`: later blocks, or `beta == 1`.
  case load
}
