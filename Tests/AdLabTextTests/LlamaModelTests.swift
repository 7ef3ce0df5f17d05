import AdLabTensor
import Foundation
import Testing

@testable import AdLabText

/// The SmolLM2 decoder's float path against transformers (GGUF dequantised to float32), and its determinism
/// across threads and batching. Skipped, with a message, when the model is not cached (`adlab models fetch smollm2`).
@Suite struct LlamaModelTests {
  /// The cached model, loaded once for the suite (with the best kernel class of this CPU).
  static let model: LlamaModel? = {
    guard let url = SmolLM2Reference.modelURL else {
      print("LlamaModelTests skipped: SmolLM2-135M-Instruct.Q4_1.gguf is not cached; run `adlab models fetch smollm2`")
      return nil
    }
    return try? LlamaModel(gguf: GGUFFile(contentsOf: url), kernels: KernelClass.best)
  }()

  static var modelCached: Bool { model != nil }

  /// How far a logit of the float path may be from transformers'. Both dequantise the same Q4_1/Q8_0 weights
  /// to the same float32 values; they differ only in float32 rounding (summation order of each dot product,
  /// fused multiply-adds, exp, rsqrt) through 30 layers. Measured on the three prompts, the largest difference
  /// of the reference top-5 logits is below 0.01 (logits of size ~30, i.e. a relative 3e-4); 0.05 leaves room
  /// for other kernel classes while a real error (a wrong RoPE layout, norm or head mapping) moves logits by
  /// whole units.
  static let logitTolerance: Float = 0.001

  /// In debug builds the kernels are compiled without optimisation, so the greedy check runs fewer steps.
  #if DEBUG
    static let greedySteps = 6
  #else
    static let greedySteps = 32
  #endif

  static func sortedTop(_ logits: ArraySlice<Float>, _ count: Int) -> [(id: Int, logit: Float)] {
    let pairs: [(id: Int, logit: Float)] = zip(logits.indices, logits).map { (id: $0 - logits.startIndex, logit: $1) }
    let sorted = pairs.sorted { a, b in a.logit > b.logit || (a.logit == b.logit && a.id < b.id) }
    return Array(sorted.prefix(count))
  }

  @Test(.enabled(if: modelCached, "SmolLM2 is not cached; run `adlab models fetch smollm2`"))
  func firstStepLogitsMatchTransformers() throws {
    let model = try #require(Self.model)
    for output in try SmolLM2Reference.load().transformers {
      let logits = try model.prefill(tokens: output.prompt_ids, cache: model.makeCache(capacity: 128))
      var worst: Float = 0
      for reference in output.first_step_top5_logits {
        let difference: Float = abs(logits[reference.id] - reference.logit)
        worst = max(worst, difference)
        #expect(difference <= Self.logitTolerance, "\(output.id): logit of \(reference.id) is \(logits[reference.id]), transformers \(reference.logit)")
      }
      print("LlamaModelTests \(output.id): largest top-5 logit difference to transformers \(worst)")
      #expect(Self.sortedTop(logits[...], 5).map(\.id) == output.first_step_top5_logits.map(\.id), "\(output.id)")
    }
  }

  /// Greedy ids equal transformers' wherever the decision is clear. The reference ids are fed back (teacher
  /// forcing), so every step sees the reference's context; at each step where our top-2 margin exceeds twice the
  /// logit tolerance (both logits could move by the tolerance in opposite directions), our argmax must be the
  /// reference's next id. Free-running greedy decoding therefore equals the reference up to the first step with
  /// a smaller margin; a step with a smaller margin is a genuine near-tie that float rounding may decide either way.
  @Test(.enabled(if: modelCached, "SmolLM2 is not cached; run `adlab models fetch smollm2`"))
  func greedyIdsMatchTransformersWhereTheMarginIsClear() throws {
    let model = try #require(Self.model)
    var decided = 0
    for output in try SmolLM2Reference.load().transformers {
      let cache = try model.makeCache(capacity: 128)
      var logits = try model.prefill(tokens: output.prompt_ids, cache: cache)
      for step in 0..<Self.greedySteps {
        let top = Self.sortedTop(logits[...], 2)
        let expected = Int(output.completion_ids_32[step])
        let margin: Float = top[0].logit - top[1].logit
        if margin > 2 * Self.logitTolerance {
          decided += 1
          #expect(top[0].id == expected, "\(output.id) step \(step): argmax \(top[0].id), transformers \(expected)")
        }
        logits = try model.decodeStep(tokens: [Int32(expected)], caches: [cache])
      }
    }
    // Most steps are clear decisions, so the check cannot pass vacuously.
    let required: Int = Self.greedySteps * 3 / 2
    #expect(decided >= required, "only \(decided) steps had a clear margin")
  }

  @Test(.enabled(if: modelCached, "SmolLM2 is not cached; run `adlab models fetch smollm2`"))
  func logitsAreIdenticalForAnyThreadCount() throws {
    let model = try #require(Self.model)
    let prompt = Array(try SmolLM2Reference.load().transformers[0].prompt_ids.prefix(12))
    var results: [[UInt32]] = []
    for threads in [1, 2, 7] {
      let cache = try model.makeCache(capacity: 32)
      let first = try model.prefill(tokens: prompt, cache: cache, threads: threads)
      let second = try model.decodeStep(tokens: [42], caches: [cache], threads: threads)
      results.append((first + second).map(\.bitPattern))
    }
    #expect(results[0] == results[1])
    #expect(results[0] == results[2])
  }

  /// A batched step gives each sequence the logits it gets alone, and a prompt prefilled at once gives the same
  /// logits as fed token by token.
  @Test(.enabled(if: modelCached, "SmolLM2 is not cached; run `adlab models fetch smollm2`"))
  func batchedDecodingEqualsSingleSequenceDecoding() throws {
    let model = try #require(Self.model)
    let prompts = try SmolLM2Reference.load().transformers.map { Array($0.prompt_ids.suffix(6)) } + [[1, 9690, 198]]
    let next: [Int32] = [18, 49, 57, 504]
    let batchCaches = try prompts.map { _ in try model.makeCache(capacity: 16) }
    var single: [Float] = []
    for (prompt, cache) in zip(prompts, batchCaches) {
      _ = try model.prefill(tokens: prompt, cache: cache)
      let alone = try model.makeCache(capacity: 16)
      // Token by token, as a decode loop would feed it.
      for token in prompt { _ = try model.decodeStep(tokens: [token], caches: [alone]) }
      single += try model.decodeStep(tokens: [next[single.count / model.config.vocabularySize]], caches: [alone])
    }
    let batched = try model.decodeStep(tokens: next, caches: batchCaches)
    #expect(batched.map(\.bitPattern) == single.map(\.bitPattern))
  }

  @Test(.enabled(if: modelCached, "SmolLM2 is not cached; run `adlab models fetch smollm2`"))
  func badRequestsAreTypedErrors() throws {
    let model = try #require(Self.model)
    let cache = try model.makeCache(capacity: 2)
    #expect(throws: LlamaError.tokenOutOfRange(token: 49_152, vocabularySize: 49_152)) {
      try model.prefill(tokens: [49_152], cache: cache)
    }
    #expect(throws: LlamaError.contextFull(capacity: 2, needed: 3)) { try model.prefill(tokens: [1, 2, 3], cache: cache) }
    #expect(throws: LlamaError.self) { try model.decodeStep(tokens: [1, 2], caches: [cache, cache]) }
    #expect(throws: LlamaError.self) { try model.makeCache(capacity: 0) }
    #expect(cache.count == 0)
  }

  @Test(.enabled(if: modelCached, "SmolLM2 is not cached; run `adlab models fetch smollm2`"))
  func hyperParametersComeFromTheMetadata() throws {
    let config = try #require(Self.model).config
    let shape: [Int] = [config.layers, config.embedding, config.feedForward, config.heads, config.kvHeads]
    #expect(shape == [30, 576, 1536, 9, 3])
    let heads: [Int] = [config.headDimension, config.ropeDimensions, config.vocabularySize]
    #expect(heads == [64, 64, 49_152])
    #expect(config.ropeBase == 100_000)
  }
}
