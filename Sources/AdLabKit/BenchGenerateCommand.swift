import AdLabTensor
import AdLabText
import ArgumentParser
import Foundation

extension AdLabCommand {
  /// `adlab bench generate`: SmolLM2-135M-Instruct prompt and decode tokens/s, one sequence on 1 thread and 2,
  /// and a batch of sequences decoded together, with llama.cpp (llama-cpp-python) in the same run when installed.
  struct BenchGenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "generate",
      abstract: "Measure SmolLM2 prompt and decode tokens/s (build with -c release; needs the cached model).",
      discussion: """
        The prompt is prompt g1 of Tests/AdLabTextTests/Fixtures/smollm2-reference.json (44 chat-template tokens). \
        Single sequence: the prompt in one prefill (prompt tokens/s), then --steps greedy tokens one at a time \
        (decode tokens/s), best of 3, on 1 thread and on 2. Batched: --batch sequences (the fixture's 3 prompts in \
        turn) prefilled one by one, then --steps greedy steps of the whole batch (decode tokens/s counts every \
        sequence's tokens). The batch's first sequence must decode the same ids as the single sequence (the \
        batching is checked bit for bit by the tests). With llama-cpp-python importable by $ADLAB_PYTHON (else \
        python3), Tests/Peers/generate_peer.py measures llama.cpp on the same file and prompt ids.
        """)

    @OptionGroup var kernelOptions: KernelOptions

    @Option(help: "Greedy tokens decoded per sequence.")
    var steps: Int = 32

    @Option(help: "Sequences decoded together in the batched measurement.")
    var batch: Int = 32

    @Option(
      help:
        "Arithmetic of the matrix products: float (dequantise on the fly) or int8 (8-bit activations, as llama.cpp).")
    var arithmetic: String = "float"

    @Flag(help: "Skip the llama.cpp peer.")
    var noPeers = false

    func validate() throws {
      guard (1...1024).contains(steps) else { throw ValidationError("--steps must be in 1...1024") }
      guard (1...512).contains(batch) else { throw ValidationError("--batch must be in 1...512") }
      guard LlamaArithmetic(rawValue: arithmetic) != nil else {
        throw ValidationError(
          "--arithmetic must be one of: " + LlamaArithmetic.allCases.map(\.rawValue).joined(separator: ", "))
      }
    }

    func run() async throws {
      warnIfDebug()
      let modelFile = SmolLM2Model.fileURL()
      guard FileManager.default.fileExists(atPath: modelFile.path) else {
        throw ValidationError("SmolLM2 is not cached (\(modelFile.path)); run `adlab models fetch smollm2` first")
      }
      let model = try LlamaModel(
        gguf: GGUFFile(contentsOf: modelFile), kernels: KernelClass.current,
        arithmetic: LlamaArithmetic(rawValue: arithmetic) ?? .float)
      let prompts = try Self.fixturePrompts()
      let capacity = (prompts.map(\.count).max() ?? 0) + steps
      print("SmolLM2-135M-Instruct Q4_1, kernels \(model.kernels), \(model.arithmetic) arithmetic; tokens/s, best of 3")

      var singleIds: [Int32]?
      var singleDecode: [Int: Double] = [:]
      for threads in [1, 2] {
        var bestPrompt = 0.0, bestDecode = 0.0
        for _ in 0..<3 {
          let cache = try model.makeCache(capacity: capacity)
          let start = DispatchTime.now().uptimeNanoseconds
          var logits = try model.prefill(tokens: prompts[0], cache: cache, threads: threads)
          let middle = DispatchTime.now().uptimeNanoseconds
          var ids: [Int32] = []
          for _ in 0..<steps {
            ids.append(Self.argmax(logits[...]))
            logits = try model.decodeStep(tokens: [ids.last!], caches: [cache], threads: threads)
          }
          let end = DispatchTime.now().uptimeNanoseconds
          bestPrompt = max(bestPrompt, Double(prompts[0].count) / (Double(middle - start) / 1e9))
          bestDecode = max(bestDecode, Double(steps) / (Double(end - middle) / 1e9))
          if let singleIds, singleIds != ids {
            throw ValidationError("greedy ids differ between runs: a determinism bug")
          }
          singleIds = ids
        }
        singleDecode[threads] = bestDecode
        print(
          String(
            format: "  single, %d thread%@: prompt %.1f, decode %.1f", threads, threads == 1 ? "" : "s", bestPrompt,
            bestDecode))
      }

      for threads in [1, 2] {
        var best = 0.0
        for _ in 0..<2 {
          let caches = try (0..<batch).map { _ in try model.makeCache(capacity: capacity) }
          var next: [Int32] = []
          for (index, cache) in caches.enumerated() {
            let logits = try model.prefill(tokens: prompts[index % prompts.count], cache: cache, threads: threads)
            next.append(Self.argmax(logits[...]))
          }
          var first: [Int32] = []
          let start = DispatchTime.now().uptimeNanoseconds
          for _ in 0..<steps {
            first.append(next[0])
            let logits = try model.decodeStep(tokens: next, caches: caches, threads: threads)
            let vocabulary = model.config.vocabularySize
            next = (0..<batch).map { Self.argmax(logits[($0 * vocabulary)..<(($0 + 1) * vocabulary)]) }
          }
          let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
          best = max(best, Double(batch * steps) / seconds)
          if first != singleIds {
            throw ValidationError("the batch's first sequence decoded other ids than alone: a batching bug")
          }
        }
        let ratio = best / (singleDecode[threads] ?? best)
        print(
          String(
            format: "  batch of %d, %d thread%@: decode %.1f (%.1f× single on %d)", batch, threads,
            threads == 1 ? "" : "s", best, ratio, threads))
      }

      guard !noPeers else { return }
      let ids = prompts[0].map(String.init).joined(separator: ",")
      let peers = PeerBenchmark.run(
        script: "generate_peer.py", arguments: [modelFile.path, String(steps), "1", "2", ids])
      for threads in [1, 2] {
        guard let prompt = peers["prompt-\(threads)t"], let decode = peers["decode-\(threads)t"] else { continue }
        let ratio = (singleDecode[threads] ?? 0) / decode.rate
        print(
          String(
            format: "  peer %@, %d thread%@: prompt %.1f, decode %.1f; AdLab decode / peer = %.2f×", decode.source,
            threads, threads == 1 ? "" : "s", prompt.rate, decode.rate, ratio))
      }
      if peers.isEmpty {
        print("  (no peer figures: llama-cpp-python not importable; set ADLAB_PYTHON to a venv that has it)")
      }
    }

    /// The prompt ids of the reference fixture (the benchmark runs from a checkout, as `bench embed` does).
    static func fixturePrompts() throws -> [[Int32]] {
      let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Tests/AdLabTextTests/Fixtures/smollm2-reference.json").standardized
      struct Fixture: Decodable {
        struct Engine: Decodable { let outputs: [Output] }
        struct Output: Decodable { let prompt_ids: [Int32] }
        let engines: [String: Engine]
      }
      guard let data = try? Data(contentsOf: file),
        let prompts = try? JSONDecoder().decode(Fixture.self, from: data).engines["transformers_dequant_f32"]?.outputs
          .map(\.prompt_ids), !prompts.isEmpty
      else {
        throw ValidationError("cannot read the prompts of \(file.path) (the benchmark runs from a checkout of AdLab)")
      }
      return prompts
    }

    /// The id of the largest logit (the lowest id among equals).
    static func argmax(_ logits: ArraySlice<Float>) -> Int32 {
      var best = logits.startIndex
      for i in logits.indices where logits[i] > logits[best] { best = i }
      return Int32(best - logits.startIndex)
    }
  }
}
