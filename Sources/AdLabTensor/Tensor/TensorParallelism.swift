import Dispatch

/// How many threads tensor kernels may use.
///
/// Results never depend on this number: GEMM is bit-identical for any thread count, and every other kernel
/// splits work by output elements in fixed-size chunks, so each element is computed by the same operations in the
/// same order whichever thread runs it. Set it per task:
/// ```swift
/// TensorParallelism.$threads.withValue(1) { try step() }
/// ```
public enum TensorParallelism {
  /// The thread count for kernels started in this task; `nil` means `GEMM.defaultThreads`.
  @TaskLocal public static var threads: Int?

  /// The thread count in force (at least 1).
  public static var current: Int { Swift.max(1, threads ?? GEMM.defaultThreads) }

  /// Elements per chunk of parallel element-wise kernels. Fixed, so chunk boundaries never depend on threads.
  static let chunk = 1 << 15

  /// Runs `body(range)` over `0..<count` split into fixed chunks of `chunk` elements; in parallel when more than one
  /// chunk exists and `current > 1`. `body` must write only the elements of its range.
  @inline(__always)
  static func forEachChunk(count: Int, _ body: (Range<Int>) -> Void) {
    let chunks = (count + chunk - 1) / chunk
    let threads = current
    if chunks <= 1 || threads <= 1 {
      if count > 0 { body(0..<count) }
      return
    }
    withoutActuallyEscaping(body) { body in
      nonisolated(unsafe) let work = body
      let workers = Swift.min(threads, chunks)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var index = worker
        while index < chunks {
          let start = index * chunk
          work(start..<Swift.min(count, start + chunk))
          index += workers
        }
      }
    }
  }
}
