import AdLabBench

/// A quick GFLOP/s table for ``GEMM`` (release builds only give meaningful numbers).
///
/// Measures `sgemm` and `dgemm` (no transposes, `alpha = 1`, `beta = 0`) on square sizes
/// 64–1024 and the CTR-scoring shape `(4096 × 64) · (64 × 256)`, with 1 and 2 threads.
/// Each figure is the best of 3 timed samples of at least 40 ms, so the table takes about
/// 10 s on a 2-core machine. It does not run any peer library: callers add their own.
public enum GEMMBenchmark {
  /// One benchmark shape: `C (m × n) = A (m × k) · B (k × n)`.
  public struct Shape: Sendable {
    public let name: String
    public let m: Int
    public let n: Int
    public let k: Int
    /// Floating-point operations of one call, `2·m·n·k`.
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
  }

  /// The shapes of the table, in print order.
  public static let shapes: [Shape] =
    [64, 128, 256, 512, 1024].map { Shape(name: "\($0)³", m: $0, n: $0, k: $0) }
    + [Shape(name: "CTR 4096×64·64×256", m: 4096, n: 256, k: 64)]

  /// Thread counts of the table's columns.
  public static let threadCounts = [1, 2]

  /// For each kernel class, prints a header line and one line per shape:
  /// `shape  sgemm 1T  sgemm 2T  dgemm 1T  dgemm 2T` in GFLOP/s. Returns the figures,
  /// `[class: [shape index: [sgemm 1T, sgemm 2T, dgemm 1T, dgemm 2T]]]`, for ratio tables.
  /// Each class runs under a task-local override (``KernelClass/withClass(_:_:)``).
  @discardableResult
  public static func run(
    classes: [KernelClass] = [KernelClass.current], print: (String) -> Void
  ) -> [KernelClass: [[Double]]] {
    var figures: [KernelClass: [[Double]]] = [:]
    for kernels in classes where kernels.isSupported {
      var table = BenchTable(
        title: "GEMM GFLOP/s, kernels \(kernels), best of 3 (row-major, no transpose, alpha=1, beta=0)",
        label: "shape", figures: columnHeaders)
      var rows: [[Double]] = []
      for shape in shapes {
        var row: [Double] = []
        KernelClass.bound(kernels) {
          for threads in threadCounts { row.append(measure(Float.self, shape, threads: threads)) }
          for threads in threadCounts { row.append(measure(Double.self, shape, threads: threads)) }
        }
        table.add([shape.name] + row.map { BenchFormat.fixed($0) })
        rows.append(row)
      }
      table.print(to: print)
      figures[kernels] = rows
    }
    return figures
  }

  /// The figure columns of the table, in the order of each row of ``run(classes:print:)``'s figures.
  public static let columnHeaders = ["sgemm 1T", "sgemm 2T", "dgemm 1T", "dgemm 2T"]

  /// GFLOP/s of one shape: best of 3 samples, each repeating the call for at least 40 ms.
  static func measure<Scalar: GEMMBenchScalar>(_: Scalar.Type, _ shape: Shape, threads: Int)
    -> Double
  {
    let (m, n, k) = (shape.m, shape.n, shape.k)
    let a = UnsafeMutablePointer<Scalar>.allocate(capacity: m * k)
    let b = UnsafeMutablePointer<Scalar>.allocate(capacity: k * n)
    let c = UnsafeMutablePointer<Scalar>.allocate(capacity: m * n)
    defer {
      a.deallocate()
      b.deallocate()
      c.deallocate()
    }
    for i in 0..<(m * k) { a[i] = Scalar(i % 17) * 0.125 - 1 }
    for i in 0..<(k * n) { b[i] = Scalar(i % 13) * 0.25 - 1.5 }
    c.initialize(repeating: 0, count: m * n)
    // The warm-up call also starts the thread pool and faults the pages in; samples last at least 40 ms.
    let timing = BenchTiming.measure(warmup: 1, repeats: 3, minimumSampleSeconds: 0.04) {
      Scalar.gemm(m: m, n: n, k: k, a: a, b: b, c: c, threads: threads)
    }
    return timing.bestRate(shape.flops) / 1e9
  }
}

/// `Float` / `Double` dispatch for the benchmark.
protocol GEMMBenchScalar: BinaryFloatingPoint {
  static func gemm(
    m: Int, n: Int, k: Int, a: UnsafePointer<Self>, b: UnsafePointer<Self>,
    c: UnsafeMutablePointer<Self>, threads: Int)
}

extension Float: GEMMBenchScalar {
  static func gemm(
    m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, threads: Int
  ) {
    GEMM.sgemm(
      transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n,
      beta: 0, c: c, ldc: n, threads: threads)
  }
}

extension Double: GEMMBenchScalar {
  static func gemm(
    m: Int, n: Int, k: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
    c: UnsafeMutablePointer<Double>, threads: Int
  ) {
    GEMM.dgemm(
      transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n,
      beta: 0, c: c, ldc: n, threads: threads)
  }
}
