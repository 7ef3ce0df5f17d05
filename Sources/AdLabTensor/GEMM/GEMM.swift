import Dispatch
import Foundation

/// Deterministic, cache-blocked general matrix multiply over raw pointers.
///
/// All matrices are **row-major**. `op(X)` is `X` or, when the matching `trans…` flag is set,
/// its transpose, so `op(A)` is `m × k`, `op(B)` is `k × n` and `C` is `m × n`:
///
/// ```
/// C = alpha · op(A) · op(B) + beta · C
/// ```
///
/// ## Exact order of operations (bit-for-bit contract)
///
/// For every output element the code performs exactly this sequence, whatever the
/// thread count, the partition of `C` between threads, or the tile an element falls in:
///
/// ```
/// c = (beta == 0) ? 0 : beta * C[i][j]          // beta == 0 ignores NaN/Inf in C, as BLAS does
/// for p in 0 ..< k {                             // k strictly increasing
///     c = c + (alpha * opA[i][p]) * opB[p][j]    // three IEEE roundings: alpha·a, ·b, +
/// }
/// C[i][j] = c
/// ```
///
/// `alpha` is folded into `A` while packing and `C` is kept in registers across the `k`
/// loop of a micro-kernel and reloaded for the next `KC` block, so cache blocking does not change
/// this order. (`beta == 1` and `alpha == 1` skip the multiply, which is exact, so the
/// sequence still holds.) When `k == 0` or `alpha == 0`, `A` and `B` are not read and
/// `C = beta · C`.
///
/// Work is split over disjoint tiles of `C` (a fixed grid per cache block)
/// and run with `DispatchQueue.concurrentPerform`. The `k` dimension is never split between
/// threads, so the result is **bit-identical for any `threads` value** and any schedule.
///
/// ## Why no fused multiply-add
///
/// The product and the sum are rounded separately (`c += a * b`, two roundings), never fused.
/// Baseline x86-64, which is what Swift targets on Linux unless a `-target-cpu` flag is
/// passed, has no FMA instruction: `addingProduct` / `addProduct` lower to a libm `fma` call
/// per lane, about 30× slower, and Swift does not contract `a * b + c` by itself. Because
/// only IEEE-754 binary32/binary64 multiply and add are used, in a fixed order, the results
/// are identical on every x86-64 machine, and on any machine with IEEE SIMD arithmetic that
/// does not force contraction or flush denormals (e.g. arm64 builds of this code).
///
/// ## Algorithm
///
/// A Goto/BLIS blocked GEMM (block sizes and their reasoning: `GEMMBlocking.swift`):
/// `B` is packed per `KC × NC` panel (shared by the workers), `A` per `MR × KC` micro-panel
/// with each element pre-broadcast to a full SIMD vector (kept in L1), and a register-blocked
/// micro-kernel (6 × 8 for `Float`, 6 × 4 for `Double`) updates one tile of `C`.
/// Transposes are absorbed by the packing routines; edge tiles use zero padding and a small
/// per-thread scratch tile.
///
/// - Precondition: `C` must not overlap `A` or `B`.
public enum GEMM {
  /// The number of worker threads used when none is given: the active processor count.
  public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

  /// Single-precision `C = alpha · op(A) · op(B) + beta · C` (row-major).
  ///
  /// - Parameters:
  ///   - transA: Use `Aᵀ`; `A` is then stored `k × m` with `lda ≥ m`, else `m × k` with `lda ≥ k`.
  ///   - transB: Use `Bᵀ`; `B` is then stored `n × k` with `ldb ≥ k`, else `k × n` with `ldb ≥ n`.
  ///   - m: Rows of `C` and `op(A)`.
  ///   - n: Columns of `C` and `op(B)`.
  ///   - k: Columns of `op(A)`, rows of `op(B)`.
  ///   - ldc: Row stride of `C`, at least `n`.
  ///   - threads: Worker count (≥ 1). Does not change the result, only the speed.
  /// - Complexity: O(m · n · k).
  public static func sgemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int = GEMM.defaultThreads
  ) {
    let problem = GEMMProblem(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
      a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    problem.validate(threads: threads, routine: "sgemm")
    // The class is read once, here in the calling task; the workers get it as the kernel type.
    let kernels = KernelClass.current
    if GEMVRow.run(problem, kernels: kernels) { return }
    switch kernels {
    case .portable: GEMMDriver<SGEMMKernel>.run(problem, threads: threads)
    case .x86_64_v3: GEMMDriver<SGEMMKernelV3>.run(problem, threads: threads)
    case .x86_64_v4: GEMMDriver<SGEMMKernelV4>.run(problem, threads: threads)
    }
  }

  /// Double-precision `C = alpha · op(A) · op(B) + beta · C` (row-major).
  ///
  /// Same contract, parameters and order of operations as
  /// ``sgemm(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:threads:)``.
  /// - Complexity: O(m · n · k).
  public static func dgemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int, threads: Int = GEMM.defaultThreads
  ) {
    let problem = GEMMProblem(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
      a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    problem.validate(threads: threads, routine: "dgemm")
    let kernels = KernelClass.current
    if GEMVRow.run(problem, kernels: kernels) { return }
    switch kernels {
    case .portable: GEMMDriver<DGEMMKernel>.run(problem, threads: threads)
    case .x86_64_v3: GEMMDriver<DGEMMKernelV3>.run(problem, threads: threads)
    case .x86_64_v4: GEMMDriver<DGEMMKernelV4>.run(problem, threads: threads)
    }
  }
}
