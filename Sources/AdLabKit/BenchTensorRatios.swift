import AdLabTensor

/// The `AdLab / OpenBLAS` ratio table of `adlab bench tensor`: every kernel class's GEMM figures over numpy's,
/// from the same run, so the comparison is on the same machine state.
enum BenchTensorRatios {
  /// Reads the figures of `tensor_peers.py`'s table: one row of four numbers per shape, in shape order.
  static func parsePeer(_ text: String) -> [[Double]] {
    text.split(separator: "\n").compactMap { line -> [Double]? in
      let numbers = line.split(separator: " ").suffix(4).compactMap { Double($0) }
      return numbers.count == 4 && !line.hasPrefix("shape") ? numbers : nil
    }
  }

  /// Prints one ratio table per class (`-` where a figure is missing).
  static func print(adlab: [KernelClass: [[Double]]], peer: [[Double]], to output: (String) -> Void) {
    guard peer.count == GEMMBenchmark.shapes.count else { return }
    for kernels in KernelClass.allCases {
      guard let rows = adlab[kernels] else { continue }
      output("AdLab \(kernels) / OpenBLAS (numpy), same run")
      output(
        GEMMBenchmark.pad("shape", 20)
          + ["sgemm 1T", "sgemm 2T", "dgemm 1T", "dgemm 2T"].map { GEMMBenchmark.pad($0, 10) }.joined())
      for (index, shape) in GEMMBenchmark.shapes.enumerated() {
        let cells = zip(rows[index], peer[index]).map { ours, theirs in
          theirs > 0 ? GEMMBenchmark.format(ours / theirs, digits: 2) + "x" : "-"
        }
        output(GEMMBenchmark.pad(shape.name, 20) + cells.map { GEMMBenchmark.pad($0, 10) }.joined())
      }
    }
  }
}
