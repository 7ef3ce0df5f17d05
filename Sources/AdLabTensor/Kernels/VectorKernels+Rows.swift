import Dispatch

extension VectorKernels {
  /// Embedding gather: output row r = table row `rows[r]` (each `width` scalars), for every r. Copies only, so
  /// the same bits in every class; split over output rows on up to `threads` workers.
  ///
  /// - Precondition: every index is in `0..<tableRows` (callers check user input and throw first).
  public static func gather<Scalar: TensorScalar>(
    table: UnsafePointer<Scalar>, tableRows: Int, width: Int, rows: UnsafeBufferPointer<Int>,
    into output: UnsafeMutablePointer<Scalar>, threads: Int = 1
  ) {
    nonisolated(unsafe) let table = table
    nonisolated(unsafe) let output = output
    nonisolated(unsafe) let rows = rows
    forEachRange(rows.count, cost: width, threads: threads) { range in
      for r in range {
        let index = rows[r]
        precondition(index >= 0 && index < tableRows, "gather: row \(index) outside 0..<\(tableRows)")
        (output + r * width).update(from: table + index * width, count: width)
      }
    }
  }

  /// Embedding scatter-add, the transpose of ``gather(table:tableRows:width:rows:into:threads:)``: table row
  /// `rows[r]` += values row r, for r = 0, 1, 2, … in that order, so a row named several times accumulates its
  /// contributions in index order. Work is split over column ranges, never over r, so every table element
  /// sees the same additions in the same order for any thread count (and any class: plain adds).
  ///
  /// - Precondition: every index is in `0..<tableRows`.
  public static func scatterAdd<Scalar: TensorScalar>(
    _ values: UnsafePointer<Scalar>, rows: UnsafeBufferPointer<Int>, width: Int,
    into table: UnsafeMutablePointer<Scalar>, tableRows: Int, threads: Int = 1
  ) {
    for index in rows {
      precondition(index >= 0 && index < tableRows, "scatterAdd: row \(index) outside 0..<\(tableRows)")
    }
    nonisolated(unsafe) let values = values
    nonisolated(unsafe) let table = table
    nonisolated(unsafe) let rows = rows
    forEachRange(width, cost: rows.count, threads: threads) { columns in
      for (r, index) in rows.enumerated() {
        let target = table + index * width
        let source = values + r * width
        for j in columns { target[j] += source[j] }
      }
    }
  }

  /// Runs `body` over `0..<count` in contiguous ranges, one per worker, when the work (count · cost scalars)
  /// is large enough to pay for threads. Each index is handled by exactly one call.
  static func forEachRange(_ count: Int, cost: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let parts = Swift.max(1, Swift.min(threads, count, count * Swift.max(cost, 1) / (1 << 14)))
    if parts == 1 {
      if count > 0 { body(0..<count) }
      return
    }
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      body((part * count / parts)..<((part + 1) * count / parts))
    }
  }
}
