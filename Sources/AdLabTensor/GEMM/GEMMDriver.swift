import Dispatch

/// The blocked GEMM loop nest for one micro-kernel type; see ``GEMMBlocking`` for the order.
enum GEMMDriver<K: GEMMMicroKernel> {
  typealias Scalar = K.Scalar

  static func run(_ pr: GEMMProblem<Scalar>, threads: Int, blocking: GEMMBlocking = K.blocking) {
    if pr.m == 0 || pr.n == 0 { return }
    if pr.k == 0 || pr.alpha == 0 {
      pr.scaleC()
      return
    }
    let (mr, nr) = (K.mr, K.nr)
    let kcBlock = max(1, blocking.kc)
    let ncBlock = roundUp(max(1, blocking.nc), nr)
    let workers = GEMMTaskGrid.workerCount(
      m: pr.m, n: pr.n, k: pr.k, mr: mr, nr: nr, threads: threads,
      workPerThread: blocking.workPerThread)
    let kcMax = min(kcBlock, pr.k)
    let scratch = GEMMScratch<Scalar>(
      panel: kcMax &* min(ncBlock, roundUp(pr.n, nr)),
      slot: mr &* kcMax &* K.lanes &+ mr &* nr, workers: workers)
    defer { scratch.deallocate() }

    var jc = 0
    while jc < pr.n {
      let nc = min(ncBlock, pr.n &- jc)
      var pc = 0
      while pc < pr.k {
        let kc = min(kcBlock, pr.k &- pc)
        let start: GEMMTileStart =
          pc != 0 || pr.beta == 1 ? .load : (pr.beta == 0 ? .zero : .scaled)
        let block = Block(pc: pc, kc: kc, jc: jc, nc: nc, start: start)
        packPanel(pr, block, into: scratch.panel, workers: workers)
        let grid = GEMMTaskGrid(rows: pr.m, cols: nc, mr: mr, nr: nr, workers: workers)
        if workers == 1 {
          for task in 0..<grid.count {
            compute(pr, block, grid.task(task), panel: scratch.panel, slot: scratch.slot(0))
          }
        } else {
          // Workers write disjoint tiles of C and only read A, B and the packed panel, so
          // sharing the raw pointers is race-free. Tasks are claimed dynamically for load
          // balance; a tile's result does not depend on which worker computes it.
          nonisolated(unsafe) let shared = pr
          nonisolated(unsafe) let buffers = scratch
          let queue = GEMMTaskQueue(count: grid.count)
          DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while let task = queue.claim() {
              compute(
                shared, block, grid.task(task), panel: buffers.panel, slot: buffers.slot(worker))
            }
          }
        }
        pc &+= kc
      }
      jc &+= nc
    }
  }

  /// One `KC × NC` step of the loop nest.
  struct Block {
    let pc: Int
    let kc: Int
    let jc: Int
    let nc: Int
    let start: GEMMTileStart
  }

  /// Packs the block's `B` panel, split by slivers over the workers when it is large.
  static func packPanel(
    _ pr: GEMMProblem<Scalar>, _ block: Block, into panel: UnsafeMutablePointer<Scalar>,
    workers: Int
  ) {
    let nr = K.nr
    let slivers = (block.nc &+ nr &- 1) / nr
    let parts = block.kc &* block.nc >= 32_768 ? min(workers, slivers) : 1
    if parts == 1 {
      packB(pr, pc: block.pc, kc: block.kc, jc: block.jc, nc: block.nc, into: panel)
      return
    }
    nonisolated(unsafe) let shared = pr
    nonisolated(unsafe) let out = panel  // each part writes its own slivers
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      let lo = part &* slivers / parts &* nr
      let hi = min(block.nc, (part &+ 1) &* slivers / parts &* nr)
      packB(
        shared, pc: block.pc, kc: block.kc, jc: block.jc &+ lo, nc: hi &- lo,
        into: out + lo &* block.kc)
    }
  }

  /// Computes `C[rows, jc + cols]` for one block: pack each `A` micro-panel, sweep the slivers.
  static func compute(
    _ pr: GEMMProblem<Scalar>, _ block: Block, _ task: (rows: Range<Int>, cols: Range<Int>),
    panel: UnsafeMutablePointer<Scalar>, slot: UnsafeMutablePointer<Scalar>
  ) {
    let (mr, nr) = (K.mr, K.nr)
    let kc = block.kc
    let aPanel = slot
    let tile = slot + mr &* kc &* K.lanes
    var ir = task.rows.lowerBound
    while ir < task.rows.upperBound {
      let rowsHere = min(mr, task.rows.upperBound &- ir)
      packA(pr, ir: ir, mr: rowsHere, pc: block.pc, kc: kc, into: aPanel)
      let cRow = pr.c + (ir &* pr.ldc &+ block.jc)
      var jr = task.cols.lowerBound
      while jr < task.cols.upperBound {
        let colsHere = min(nr, task.cols.upperBound &- jr)
        let sliver = UnsafePointer(panel + jr &* kc)
        if rowsHere == mr && colsHere == nr {
          K.kernel(
            kc: kc, a: aPanel, b: sliver, c: cRow + jr, ldc: pr.ldc, beta: pr.beta,
            start: block.start)
        } else {
          edgeTile(
            kc: kc, a: aPanel, b: sliver, c: cRow + jr, ldc: pr.ldc, beta: pr.beta,
            start: block.start, rows: rowsHere, cols: colsHere, scratch: tile)
        }
        jr &+= nr
      }
      ir &+= mr
    }
  }

  /// A partial tile: run the full-size kernel on a scratch copy, write back the valid part.
  /// The valid elements see exactly the same operations as in a full tile.
  @inline(never)
  static func edgeTile(
    kc: Int, a: UnsafePointer<Scalar>, b: UnsafePointer<Scalar>, c: UnsafeMutablePointer<Scalar>,
    ldc: Int, beta: Scalar, start: GEMMTileStart, rows: Int, cols: Int,
    scratch: UnsafeMutablePointer<Scalar>
  ) {
    let nr = K.nr
    scratch.update(repeating: 0, count: K.mr &* nr)
    if start != .zero {
      for i in 0..<rows {
        (scratch + i &* nr).update(from: c + i &* ldc, count: cols)
      }
    }
    K.kernel(kc: kc, a: a, b: b, c: scratch, ldc: nr, beta: beta, start: start)
    for i in 0..<rows {
      (c + i &* ldc).update(from: scratch + i &* nr, count: cols)
    }
  }
}
