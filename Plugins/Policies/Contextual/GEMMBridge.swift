import AdLabTensor

/// Plain row-major C = A · B through the tensor core's GEMM, single-threaded: the runner already runs
/// one job per core, and one level of parallelism at a time keeps results independent of scheduling.
enum GEMMBridge {
  static func dgemm(
    m: Int, n: Int, k: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>
  ) {
    GEMM.dgemm(
      transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n, beta: 0, c: c, ldc: n,
      threads: 1)
  }
}
