import AdLabTensor
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab bench tensor`: GEMM GFLOP/s (sgemm, dgemm; 1 thread and all cores), an MLP training step and AdLabMath
  /// against libm, with
  /// numpy's GEMM figures for the same shapes in the same run when numpy is installed.
  struct BenchTensor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "tensor",
      abstract: "Measure the tensor core: GEMM GFLOP/s and MLP training samples/s (build with -c release).",
      discussion: """
        numpy runs with OPENBLAS_NUM_THREADS set to each thread count, and with OPENBLAS_CORETYPE and \
        OPENBLAS_L2_SIZE unset in its own process only (they slow a current OpenBLAS on this machine's CPUs).
        """)

    @OptionGroup var kernelOptions: KernelOptions

    @Flag(help: "Skip the numpy peer.")
    var noPeers = false

    func run() async throws {
      warnIfDebug()
      let figures = GEMMBenchmark.run(classes: KernelClass.supported) { print($0) }
      if !noPeers {
        let peer = runPeerScript("tensor_peers.py", [])
        print(peer.isEmpty ? "(numpy not measured: install python3 with numpy to compare)" : peer, terminator: "")
        BenchTensorRatios.print(adlab: figures, peer: BenchTensorRatios.parsePeer(peer)) { print($0) }
      }
      print("")
      MLPBenchmark.run { print($0) }
      print("")
      MathBenchmark.run { print($0) }
    }
  }
}
