import Testing

@testable import AdLabTensor

/// Accuracy, edge cases and argument checks of ``GEMM``.
///
/// Error bound used for `C = α·op(A)·op(B) + β·C`: each term goes through at most `k + 2`
/// roundings (α·a, ·b, then the running sum), so the classical bound is
/// `|Ĉ − C| ≤ γ(k+2) · (|α|·Σ|a||b| + |β||c|)` with `γ(n) = n·u / (1 − n·u)` and unit
/// roundoff `u` (2⁻²⁴ for `Float`, 2⁻⁵³ for `Double`). The tests allow `2·(k+2)·u·(…)`:
/// the factor 2 covers `γ`'s denominator and, for `dgemm`, the rounding error of the
/// `Double` reference itself (for `sgemm` the reference is exact by comparison).
struct GEMMTests {
  static let shapes: [(m: Int, n: Int, k: Int)] = [
    (1, 1, 1), (17, 33, 29), (6, 8, 16), (7, 9, 13), (2, 3, 4),
    (300, 5, 7), (5, 300, 7), (1, 64, 100), (64, 1, 100), (9, 20, 300), (7, 150, 10),
    // Larger than the AVX-512 tiles (12 x 32, 12 x 16) with ragged edges and k past one KC block.
    (25, 70, 260),
    // Batch-1 rows (the FMA classes' GEMV path): vector-width multiples, ragged tails, long k.
    (1, 70, 300), (1, 32, 5), (1, 3, 40),
  ]
  static let scalars: [(alpha: Double, beta: Double)] = [(1, 0), (1, 1), (-0.5, 2), (2.5, -1)]

  /// Every shape with all four transpose combinations, cycling α/β and leading-dim padding.
  static let cases: [GEMMCase] = shapes.enumerated().flatMap { index, shape in
    (0..<4).map { combo in
      let (alpha, beta) = scalars[(index + combo) % scalars.count]
      return GEMMCase(
        m: shape.m, n: shape.n, k: shape.k, transA: combo & 1 != 0, transB: combo & 2 != 0,
        alpha: alpha, beta: beta, pad: (index + combo) % 3 == 0 ? 3 : 0,
        seed: UInt64(index * 4 + combo + 1))
    }
  }

  // FMA classes round each step once instead of twice, so the same bound holds for every class.
  @Test(arguments: cases, KernelClass.supported)
  func sgemmIsWithinErrorBound(_ t: GEMMCase, _ kernels: KernelClass) {
    expectWithinBound(t, GEMMTestData<Float>(t), kernels)
  }

  @Test(arguments: cases, KernelClass.supported)
  func dgemmIsWithinErrorBound(_ t: GEMMCase, _ kernels: KernelClass) {
    expectWithinBound(t, GEMMTestData<Double>(t), kernels)
  }

  private func expectWithinBound<Scalar: GEMMTestScalar>(
    _ t: GEMMCase, _ d: GEMMTestData<Scalar>, _ kernels: KernelClass
  ) {
    let got = runGEMM(t, d, threads: 2, kernels: kernels)
    let (want, magnitude) = GEMMReference.highPrecision(t, d)
    let factor = 2 * Double(t.k + 2) * Scalar.unitRoundoff
    var worst = 0.0
    for i in 0..<t.m {
      for j in 0..<t.n {
        let index = i * t.ldc + j
        let excess = abs(Double(got[index]) - want[index]) - factor * magnitude[index]
        worst = max(worst, excess)
      }
    }
    #expect(worst <= 0, "error exceeds 2(k+2)u·(|α|Σ|a||b| + |β||c|) by \(worst)")
    // Padding columns of C (between n and ldc) must be left alone.
    for i in 0..<t.m {
      for j in t.n..<t.ldc { #expect(got[i * t.ldc + j] == d.c[i * t.ldc + j]) }
    }
  }

  @Test(arguments: [(3, 5, 0.0), (3, 5, 1.0), (7, 9, -2.0)])
  func zeroDepthScalesC(m: Int, n: Int, beta: Double) {
    let t = GEMMCase(m: m, n: n, k: 0, alpha: 3, beta: beta, pad: 2)
    let d = GEMMTestData<Float>(t)
    let got = runGEMM(t, d, threads: 2)
    for i in 0..<m {
      for j in 0..<n {
        #expect(got[i * t.ldc + j] == (beta == 0 ? 0 : Float(beta) * d.c[i * t.ldc + j]))
      }
    }
  }

  @Test(arguments: KernelClass.supported)
  func betaZeroIgnoresNaNAndInfinityInC(_ kernels: KernelClass) {
    let t = GEMMCase(m: 13, n: 11, k: 5, alpha: 1, beta: 0)
    var d = GEMMTestData<Double>(t)
    for index in d.c.indices { d.c[index] = index % 2 == 0 ? .nan : -.infinity }
    let got = runGEMM(t, d, threads: 1, kernels: kernels)
    #expect(got.allSatisfy { $0.isFinite })
    #expect(bitwiseEqual(got, GEMMReference.reference(t, d, kernels: kernels)))
  }

  @Test func alphaZeroDoesNotReadAOrB() {
    let t = GEMMCase(m: 8, n: 9, k: 10, alpha: 0, beta: 0.5)
    var d = GEMMTestData<Float>(t)
    d.a = d.a.map { _ in .nan }
    d.b = d.b.map { _ in .infinity }
    let got = runGEMM(t, d, threads: 2)
    #expect(got == d.c.map { 0.5 * $0 })
  }

  @Test(arguments: [(0, 5, 3), (4, 0, 3), (0, 0, 0)])
  func emptyOutputLeavesCUntouched(m: Int, n: Int, k: Int) {
    let t = GEMMCase(m: m, n: n, k: k, alpha: 1, beta: 0, pad: 1)
    let d = GEMMTestData<Double>(t)
    #expect(bitwiseEqual(runGEMM(t, d, threads: 2), d.c))
  }

  @Test func defaultThreadsIsPositive() {
    #expect(GEMM.defaultThreads >= 1)
  }

  @Test func negativeSizeTraps() async {
    await #expect(processExitsWith: .failure) {
      let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 4)
      GEMM.sgemm(
        transA: false, transB: false, m: -1, n: 2, k: 2, alpha: 1, a: buffer, lda: 2,
        b: buffer, ldb: 2, beta: 0, c: buffer, ldc: 2)
    }
  }

  @Test func shortLeadingDimensionTraps() async {
    await #expect(processExitsWith: .failure) {
      let buffer = UnsafeMutablePointer<Double>.allocate(capacity: 64)
      // transA: A is stored k × m, so lda must be >= m = 4.
      GEMM.dgemm(
        transA: true, transB: false, m: 4, n: 2, k: 3, alpha: 1, a: buffer, lda: 3,
        b: buffer, ldb: 2, beta: 0, c: buffer, ldc: 2)
    }
  }
}
