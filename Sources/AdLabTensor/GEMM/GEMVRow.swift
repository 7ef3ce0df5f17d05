internal import CAdLabKernels

/// The batch-1 fast path of the FMA classes: `C (1 × n) = alpha · a (1 × k) · B (k × n) + beta · C`.
///
/// B is read once whatever the path, so packing and tiles only cost time here (a 12-row tile computes 11 rows of
/// padding). The C kernels keep each element's contract of the class, `c = fma(alpha·a[p], b[p][j], c)` over `p`
/// in order, so this path gives the same bits as the blocked one; it runs on the calling thread (the result never
/// depends on threads). `portable` keeps its blocked path unchanged.
enum GEMVRow {
  /// Runs the product when it is a row-vector GEMV under an FMA class; returns false otherwise.
  static func run(_ pr: GEMMProblem<Float>, kernels: KernelClass) -> Bool {
    guard kernels != .portable, applies(pr) else { return false }
    let inca = pr.transA ? pr.lda : 1
    switch kernels {
    case .portable: return false
    case .x86_64_v3: adlab_sgemv_row_v3(pr.n, pr.k, pr.alpha, pr.a, inca, pr.b, pr.ldb, pr.beta, pr.c)
    case .x86_64_v4: adlab_sgemv_row_v4(pr.n, pr.k, pr.alpha, pr.a, inca, pr.b, pr.ldb, pr.beta, pr.c)
    }
    return true
  }

  /// `Double` form of ``run(_:kernels:)-(GEMMProblem<Float>,_)``.
  static func run(_ pr: GEMMProblem<Double>, kernels: KernelClass) -> Bool {
    guard kernels != .portable, applies(pr) else { return false }
    let inca = pr.transA ? pr.lda : 1
    switch kernels {
    case .portable: return false
    case .x86_64_v3: adlab_dgemv_row_v3(pr.n, pr.k, pr.alpha, pr.a, inca, pr.b, pr.ldb, pr.beta, pr.c)
    case .x86_64_v4: adlab_dgemv_row_v4(pr.n, pr.k, pr.alpha, pr.a, inca, pr.b, pr.ldb, pr.beta, pr.c)
    }
    return true
  }

  /// One output row, `B` not transposed (rows of B contiguous), and a real product (`k == 0` or `alpha == 0`
  /// only scale C, which the driver does without reading A or B).
  private static func applies<S>(_ pr: GEMMProblem<S>) -> Bool {
    pr.m == 1 && pr.n > 0 && pr.k > 0 && pr.alpha != 0 && !pr.transB
  }
}
