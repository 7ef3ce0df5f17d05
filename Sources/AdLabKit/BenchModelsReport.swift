import AdLabBench
import AdLabModels
import AdLabTensor
import Foundation

/// `adlab bench models`: interest-model training throughput (`ModelBenchmark`) and the tensor core's MLP
/// (`MLPBenchmark`), with the PyTorch peer (Tests/Peers/model_peers.py) measured in the same run when torch is
/// installed.
enum BenchModelsReport {
  static func run(peers: Bool) throws {
    var figures = try ModelBenchmark.run { print($0) }.map { (model: $0.model, oneThread: $0.oneThread) }
    if let mlp = MLPBenchmark.run(print: { print($0) }).first(where: { $0.threads == 1 }) {
      figures.append((model: "mlp", oneThread: mlp.samplesPerSecond))
    }
    guard peers else { return }
    let measured = PeerBenchmark.run(script: "model_peers.py", arguments: [])
    if measured.isEmpty {
      print(
        "peer: PyTorch is not installed for python3 (pip install torch, or point ADLAB_PYTHON at a Python that has it)")
      return
    }
    var table = BenchTable(
      columns: [
        .init("peer (1 thread)", .left), .init("samples/s"), .init("AdLab 1 thread / peer"), .init("source", .left),
      ])
    for figure in figures {
      guard let peer = measured[figure.model] else { continue }
      table.add([
        figure.model, BenchFormat.fixed(peer.rate, digits: 0), BenchFormat.ratio(figure.oneThread, peer.rate),
        peer.source,
      ])
    }
    table.print()
  }
}
