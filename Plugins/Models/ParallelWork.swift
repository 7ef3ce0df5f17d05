import AdLabTensor
import Dispatch

/// Runs a model's batch kernels on `TensorParallelism.current` threads without changing any result: work is
/// split into fixed pieces (row chunks, or index ranges each owned by one task), and each piece computes the same
/// operations in the same order whichever thread runs it.
enum ParallelWork {
  /// Calls `body(task)` for `task` in `0..<tasks`, in parallel when `tasks > 1`. `body` must write only what its
  /// task owns.
  static func run(tasks: Int, _ body: (Int) -> Void) {
    guard tasks > 1 else {
      if tasks == 1 { body(0) }
      return
    }
    // Dispatch workers do not inherit task-locals: carry the caller's kernel class to them explicitly.
    let kernels = KernelClass.current
    withoutActuallyEscaping(body) { body in
      // Each task writes a disjoint part of the caller's buffers (the caller's contract above).
      nonisolated(unsafe) let work = body
      DispatchQueue.concurrentPerform(iterations: tasks) { task in KernelClass.bound(kernels) { work(task) } }
    }
  }

  /// Calls `body(range)` for fixed chunks of `chunk` rows of `0..<count`, spread over the threads in force.
  static func forEachChunk(count: Int, chunk: Int, _ body: (Range<Int>) -> Void) {
    let chunks = (count + chunk - 1) / chunk
    let tasks = min(TensorParallelism.current, chunks)
    run(tasks: tasks) { task in
      var index = task
      while index < chunks {
        body((index * chunk)..<min(count, (index + 1) * chunk))
        index += tasks
      }
    }
  }

  /// The number of index-range owners for sparse updates: one per thread in force.
  static var owners: Int { TensorParallelism.current }

  /// The part of `0..<count` that owner `task` of `tasks` updates.
  @inline(__always)
  static func ownedRange(_ task: Int, of tasks: Int, count: Int) -> Range<Int> {
    (task * count / tasks)..<((task + 1) * count / tasks)
  }
}
