import Testing

@testable import AdLabTensor

/// Bit-for-bit guarantees of ``GEMM``: the documented order of operations and thread-count
/// independence.
struct GEMMDeterminismTests {
  /// Every accuracy case is also *bitwise* equal to the naive i-j-p loop that follows the
  /// documented order: `c = β==0 ? 0 : β·c; for p in 0..<k { c = c + (α·a) · b }`.
  /// Under an FMA class the reference loop uses `fma` in the same order; equality is bitwise too.
  @Test(arguments: GEMMTests.cases, KernelClass.supported)
  func matchesNaiveLoopBitwise(_ t: GEMMCase, _ kernels: KernelClass) {
    let f = GEMMTestData<Float>(t)
    #expect(
      bitwiseEqual(
        runGEMM(t, f, threads: 2, kernels: kernels), GEMMReference.reference(t, f, kernels: kernels)))
    let d = GEMMTestData<Double>(t)
    #expect(
      bitwiseEqual(
        runGEMM(t, d, threads: 2, kernels: kernels), GEMMReference.reference(t, d, kernels: kernels)))
  }

  /// Tiny blocks force many `KC` blocks, `NC` panels and edge tiles on small matrices;
  /// the result must still equal the naive loop and the tuned blocking bit for bit.
  @Test(
    arguments: [
      GEMMCase(m: 23, n: 70, k: 37, alpha: 1, beta: 0),
      GEMMCase(m: 31, n: 41, k: 19, transA: true, alpha: -1.5, beta: 0.25, pad: 2),
      GEMMCase(m: 13, n: 50, k: 23, transB: true, alpha: 2, beta: 1),
      GEMMCase(m: 40, n: 17, k: 11, transA: true, transB: true, alpha: 0.75, beta: -3, pad: 1),
      // One row: the public call takes the FMA classes' GEMV path, the blocked driver its tiles; same bits.
      GEMMCase(m: 1, n: 45, k: 37, transA: true, alpha: 1.5, beta: 0.5, pad: 1),
    ], KernelClass.supported)
  func smallBlocksDoNotChangeBits(_ t: GEMMCase, _ kernels: KernelClass) {
    for blocking in [
      GEMMBlocking(kc: 5, nc: 16, workPerThread: 1), GEMMBlocking(kc: 1, nc: 1, workPerThread: 1),
    ] {
      for threads in [1, 3] {
        let f = GEMMTestData<Float>(t)
        let fGot = runGEMM(t, f, threads: threads, blocking: blocking, kernels: kernels)
        #expect(bitwiseEqual(fGot, GEMMReference.reference(t, f, kernels: kernels)))
        #expect(bitwiseEqual(fGot, runGEMM(t, f, threads: 1, kernels: kernels)))
        let d = GEMMTestData<Double>(t)
        let dGot = runGEMM(t, d, threads: threads, blocking: blocking, kernels: kernels)
        #expect(bitwiseEqual(dGot, GEMMReference.reference(t, d, kernels: kernels)))
        #expect(bitwiseEqual(dGot, runGEMM(t, d, threads: 1, kernels: kernels)))
      }
    }
  }

  /// Results are identical for 1, 2 and 7 threads (7 > cores oversubscribes the machine).
  /// With `nc: 64, workPerThread: 1` even small shapes split into many tasks and panels.
  /// (The large shape runs `sgemm` only, to keep the debug suite fast.)
  @Test(
    arguments: [
      (GEMMCase(m: 257, n: 129, k: 300, alpha: 1, beta: 0), GEMMBlocking.float, false),
      (GEMMCase(m: 131, n: 67, k: 290, transA: true, alpha: 1, beta: 0), GEMMBlocking.double, true),
      (
        GEMMCase(m: 61, n: 300, k: 70, transA: true, transB: true, alpha: -2, beta: 0.5, pad: 5),
        GEMMBlocking(kc: 256, nc: 64, workPerThread: 1), true
      ),
      (
        GEMMCase(m: 5, n: 97, k: 33, transB: true, alpha: 1, beta: 1),
        GEMMBlocking(kc: 256, nc: 64, workPerThread: 1), true
      ),
    ], KernelClass.supported)
  func threadCountDoesNotChangeBits(
    _ c: (GEMMCase, GEMMBlocking, Bool), _ kernels: KernelClass
  ) {
    let (t, blocking, double) = c
    let f = GEMMTestData<Float>(t)
    let fOne = runGEMM(t, f, threads: 1, kernels: kernels)
    for threads in [2, 7] {
      #expect(
        bitwiseEqual(runGEMM(t, f, threads: threads, blocking: blocking, kernels: kernels), fOne))
    }
    guard double else { return }
    let d = GEMMTestData<Double>(t)
    let dOne = runGEMM(t, d, threads: 1, kernels: kernels)
    for threads in [2, 7] {
      #expect(
        bitwiseEqual(runGEMM(t, d, threads: threads, blocking: blocking, kernels: kernels), dOne))
    }
  }

  @Test func taskGridCoversEveryElementOnce() {
    for (m, n, workers) in [
      (257, 129, 7), (5, 97, 7), (1, 1, 3), (64, 64, 2), (12, 200, 5), (9, 8, 1),
    ] {
      let grid = GEMMTaskGrid(rows: m, cols: n, mr: 6, nr: 8, workers: workers)
      let tiles = ((m + 5) / 6) * ((n + 7) / 8)
      #expect(workers == 1 ? grid.count == 1 : grid.count >= min(workers, tiles))
      var hits = [Int](repeating: 0, count: m * n)
      for t in 0..<grid.count {
        let task = grid.task(t)
        #expect(task.rows.lowerBound % 6 == 0 && task.cols.lowerBound % 8 == 0)
        for i in task.rows { for j in task.cols { hits[i * n + j] += 1 } }
      }
      #expect(hits.allSatisfy { $0 == 1 }, "\(m)x\(n) with \(workers) workers")
    }
  }
}
