import Foundation

/// A fixed split of one `KC × NC` block of `C` into tasks of whole micro-tiles.
///
/// Row chunks come first (each task packs an `A` micro-panel once and sweeps its columns);
/// column chunks are added only when there are too few row chunks to keep the workers busy.
/// About four tasks per worker let a worker whose core is busy with something else hand
/// work to the others. The split depends only on the sizes and the worker count, and no
/// element's arithmetic depends on it.
struct GEMMTaskGrid: Sendable {
  let rows: Int
  let cols: Int
  /// Rows per task (a multiple of `MR`) and columns per task (a multiple of `NR`).
  let rowStep: Int
  let colStep: Int
  let rowTasks: Int
  let colTasks: Int

  init(rows: Int, cols: Int, mr: Int, nr: Int, workers: Int) {
    self.rows = rows
    self.cols = cols
    let panels = (rows + mr - 1) / mr
    let slivers = (cols + nr - 1) / nr
    let target = workers == 1 ? 1 : 4 * workers
    let panelsPerTask = max(1, (panels + target - 1) / target)
    rowStep = panelsPerTask * mr
    rowTasks = (panels + panelsPerTask - 1) / panelsPerTask
    let wantedColTasks = max(1, (target + rowTasks - 1) / rowTasks)
    let sliversPerTask = max(1, (slivers + wantedColTasks - 1) / wantedColTasks)
    colStep = sliversPerTask * nr
    colTasks = (slivers + sliversPerTask - 1) / sliversPerTask
  }

  var count: Int { rowTasks * colTasks }

  /// Rows of `C` and columns relative to the block's first column, for task `index`.
  func task(_ index: Int) -> (rows: Range<Int>, cols: Range<Int>) {
    let (r, c) = index.quotientAndRemainder(dividingBy: colTasks)
    return (
      r * rowStep..<min(rows, (r + 1) * rowStep),
      c * colStep..<min(cols, (c + 1) * colStep)
    )
  }

  /// Workers worth waking: at most `threads`, one per `workPerThread` of `m·n·k`, and one per tile.
  static func workerCount(
    m: Int, n: Int, k: Int, mr: Int, nr: Int, threads: Int, workPerThread: Int
  ) -> Int {
    let tiles = ((m + mr - 1) / mr) * ((n + nr - 1) / nr)
    let work = Double(m) * Double(n) * Double(k) / Double(max(1, workPerThread))
    let byWork = work >= Double(Int32.max) ? Int(Int32.max) : Int(work)
    return max(1, min(threads, byWork, tiles))
  }
}

/// Hands out the task indices `0 ..< count`, each exactly once, to whichever worker asks.
///
/// `@unchecked Sendable`: the only mutable state, `next`, is accessed under `lock`.
final class GEMMTaskQueue: @unchecked Sendable {
  private let lock = NSLock()
  private var next = 0
  private let count: Int

  init(count: Int) { self.count = count }

  func claim() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard next < count else { return nil }
    next += 1
    return next - 1
  }
}

/// The packing buffers of one GEMM call, in one 64-byte aligned allocation: the shared `B`
/// panel, then one slot per worker (its `A` micro-panel and its edge tile).
struct GEMMScratch<Scalar> {
  let panel: UnsafeMutablePointer<Scalar>
  private let slotStride: Int

  init(panel panelCount: Int, slot slotCount: Int, workers: Int) {
    // 16 elements keep every slot 64-byte aligned for both Float and Double.
    let panelStride = roundUp(panelCount, 16)
    slotStride = roundUp(slotCount, 16)
    let count = panelStride &+ slotStride &* workers
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: count &* MemoryLayout<Scalar>.stride, alignment: 64)
    panel = raw.bindMemory(to: Scalar.self, capacity: count)
    firstSlot = panel + panelStride
  }

  private let firstSlot: UnsafeMutablePointer<Scalar>

  func slot(_ worker: Int) -> UnsafeMutablePointer<Scalar> { firstSlot + worker &* slotStride }

  func deallocate() { UnsafeMutableRawPointer(panel).deallocate() }
}

@inline(__always)
func roundUp(_ x: Int, _ multiple: Int) -> Int {
  (x &+ multiple &- 1) / multiple &* multiple
}
