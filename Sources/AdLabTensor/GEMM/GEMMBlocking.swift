/// Cache-block sizes of the GEMM driver, measured on the AMD EPYC (Zen 3) machines AdLab
/// runs on: 32 KiB L1d and 512 KiB L2 per core, 32 MiB shared L3, 2 cores.
///
/// Loop nest (``GEMMDriver``), Goto's algorithm with the roles of the two cached operands
/// chosen for a pre-broadcast `A`:
///
/// ```
/// for jc in 0 ..< n, step NC                    // B panel KC × NC: L3, shared by all workers
///   for pc in 0 ..< k, step KC                  // k blocks in increasing order
///     pack B[pc ..< pc+KC, jc ..< jc+NC]        // split over workers by NR slivers
///     parallel for task in row chunks × column chunks of the panel    (GEMMTaskGrid)
///       for ir in task rows, step MR            // A micro-panel MR × KC: L1
///         pack alpha · A[ir ..< ir+MR, pc ..< pc+KC], each element broadcast to a vector
///         for jr in task columns, step NR       // B sliver KC × NR: streamed from L2/L3
///           micro-kernel: C[ir ..< ir+MR, jc+jr ..< jc+jr+NR] += A-panel · B-sliver
/// ```
///
/// Pre-broadcasting `A` (16 bytes per element for both types) saves one shuffle per row
/// and `k` step, which is what lets the SSE kernel approach its peak, but it makes `A`
/// the bulky operand, so the `A` micro-panel is the one that stays in L1 and is reused
/// across the whole `NC` width, while `B` slivers stream past it. `MC` is therefore `MR`
/// for packing; the task row chunk (a multiple of `MR`, about `m / (4 · workers)`) plays
/// `MC`'s role for scheduling only.
///
/// - `KC = 256`: the `A` micro-panel is `MR × KC × 16 B = 24 KiB`, inside L1 next to the
///   current 8 KiB `B` sliver; each `C` tile is loaded and stored once per 256 `k` steps.
///   1024³ `sgemm` measured flat (±2%) for `KC` from 96 to 384; 256 was best.
/// - `NC = 2048` (`Float`) / `1024` (`Double`): a 2 MiB `B` panel in L3, read as one
///   sequential stream that the hardware prefetcher follows. A large `NC` means `A` is packed
///   once per `KC` block rather than `n / NC` times: with `NC = 256` (panel in L2) 1024³
///   `sgemm` ran at 32 GFLOP/s instead of 37, stalled on re-reading `A` from L3.
/// - `MR × NR` = 6 × 8 (`Float`) and 6 × 4 (`Double`): see ``SGEMMKernel`` and ``DGEMMKernel``.
struct GEMMBlocking: Sendable {
  /// Depth of a packed block (`KC`).
  var kc: Int
  /// Columns of a packed `B` panel (`NC`); rounded up to a multiple of `NR` by the driver.
  var nc: Int
  /// Minimum `m · n · k` per worker thread; smaller problems use fewer threads. At 2¹⁸
  /// (a 64³ product, about 15 µs on one core) a second thread stopped paying for its wake-up:
  /// 64³ `sgemm` ran at 33 GFLOP/s on 1 thread but 20–30 on 2. Never affects results.
  var workPerThread: Int

  /// `Float`: `KC = 256`, `NC = 2048`.
  static let float = GEMMBlocking(kc: 256, nc: 2048, workPerThread: 1 << 18)
  /// `Double`: `KC = 256`, `NC = 1024` (same bytes per panel as `Float`).
  static let double = GEMMBlocking(kc: 256, nc: 1024, workPerThread: 1 << 18)
}
