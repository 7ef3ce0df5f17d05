import AdLabBench
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
      var table = BenchTable(
        title: "AdLab \(kernels) / OpenBLAS (numpy), same run", label: "shape", figures: GEMMBenchmark.columnHeaders)
      for (index, shape) in GEMMBenchmark.shapes.enumerated() {
        table.add([shape.name] + zip(rows[index], peer[index]).map { BenchFormat.ratio($0, $1, digits: 2) })
      }
      table.print(to: output)
    }
  }
}
