import AdLabBench
import AdLabCore
import AdLabTensor
import AdLabText
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab bench embed`: all-MiniLM-L6-v2 sentences/s on 1,000 titles and on a mixed set with long texts, one
  /// thread and two, with sentence-transformers (batch 32, one thread) in the same run when it is installed.
  struct BenchEmbed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "embed",
      abstract: "Measure all-MiniLM-L6-v2 sentences/s (build with -c release; needs `adlab models fetch minilm`).",
      discussion: """
        titles: Tests/AdLabTextTests/Fixtures/titles-1000.txt (1,000 product titles and ad lines, 5–30 words). \
        mixed: the same titles plus 10 long texts, each 40 consecutive titles joined (truncated to 256 tokens). \
        Tokenisation is included, as in the peer. The embeddings of every thread count are checked to be \
        bit-identical. With sentence-transformers importable by $ADLAB_PYTHON (else python3), \
        Tests/Peers/embed_peer.py measures it on the same texts (batch 32, torch.set_num_threads(1)).
        """)

    @OptionGroup var kernelOptions: KernelOptions

    @Flag(help: "Skip the sentence-transformers peer.")
    var noPeers = false

    func run() async throws {
      warnIfDebug()
      let pipeline = try MiniLMPipeline()
      let titlesFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Tests/AdLabTextTests/Fixtures/titles-1000.txt").standardized
      guard let text = try? String(contentsOf: titlesFile, encoding: .utf8) else {
        throw ValidationError("cannot read \(titlesFile.path) (the benchmark runs from a checkout of AdLab)")
      }
      let titles = text.split(separator: "\n").map(String.init)
      let long = (0..<10).map { block in
        titles[(block * 40)..<min(titles.count, block * 40 + 40)].joined(separator: " ")
      }
      let sets = [("titles", titles), ("mixed", titles + long)]
      print("all-MiniLM-L6-v2, kernels \(KernelClass.current), sentences/s (best of 3, tokenisation included)")
      var ours: [String: Double] = [:]
      for (name, texts) in sets {
        var reference: [[UInt32]]?
        for threads in [1, 2] {
          let timing = try BenchTiming.measure(warmup: 0, repeats: 3) {
            let (_, embeddings) = try pipeline.embed(texts, threads: threads)
            let bits = embeddings.map { $0.vector.map(\.bitPattern) }
            if let reference, reference != bits {
              throw ValidationError("embeddings of \(name) differ between 1 and \(threads) threads: a determinism bug")
            }
            reference = bits
          }
          let rate = timing.bestRate(Double(texts.count))
          ours["\(name)-\(threads)"] = rate
          print(
            "  \(name) (\(texts.count) texts), \(threads) thread\(threads == 1 ? "" : "s"): \(BenchFormat.fixed(rate))")
        }
        print("  \(name): embeddings identical for 1 and 2 threads")
      }
      guard !noPeers else { return }
      let scratch = try PipDownload.scratchFolder(prefix: "adlab-bench-embed")
      defer { try? FileManager.default.removeItem(atPath: scratch) }
      var arguments = [pipeline.folder.path]
      for (name, texts) in sets {
        let path = "\(scratch)/\(name).txt"
        try Data(texts.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        arguments.append("\(name)=\(path)")
      }
      let peers = PeerBenchmark.run(script: "embed_peer.py", arguments: arguments)
      for (name, _) in sets {
        guard let peer = peers[name], let mine = ours["\(name)-1"] else { continue }
        print(
          "  \(name), 1 thread: \(peer.source) \(BenchFormat.fixed(peer.rate)); AdLab / peer = \(BenchFormat.ratio(mine, peer.rate, digits: 2))"
        )
      }
      if peers.isEmpty {
        print("  (no peer figures: sentence-transformers not importable; set ADLAB_PYTHON to a venv that has it)")
      }
    }
  }
}
