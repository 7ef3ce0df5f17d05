import AdLabTensor

/// Generates completions for several prompts with a ``LlamaModel``: each prompt is prefilled into its own cache,
/// then all unfinished sequences advance together, one batched ``LlamaModel/decodeStep(tokens:caches:threads:)``
/// per token. Sequence `i` samples from the stream `StreamKey(seed:).child("generate").child(i)`, and the model's
/// logits do not depend on the batch, so a prompt's completion depends only on (model, kernel class, prompt,
/// parameters, seed, its index) — not on the other prompts or the thread count.
public struct TextGenerator: Sendable {
  /// Why a sequence stopped.
  public enum StopReason: String, Sendable, Equatable {
    /// It produced the end-of-turn token (kept as the last completion id).
    case endOfTurn = "end_of_turn"
    /// It reached `maxTokens`.
    case maxTokens = "max_tokens"
  }

  /// One prompt's completion.
  public struct Completion: Sendable, Equatable {
    public let promptIds: [Int32]
    /// The generated ids, the end-of-turn token included when it stopped there.
    public let ids: [Int32]
    public let stopReason: StopReason
  }

  public let model: LlamaModel
  public let endOfTurn: Int32

  public init(model: LlamaModel, endOfTurn: Int32) {
    self.model = model
    self.endOfTurn = endOfTurn
  }

  /// The stream sequence `index` of a generation with `seed` samples from.
  public static func streamKey(seed: UInt64, sequence index: Int) -> StreamKey {
    StreamKey(seed: seed).child("generate").child(UInt64(truncatingIfNeeded: index))
  }

  /// Completes every prompt (token ids, e.g. a rendered chat template) under `parameters`.
  /// - Throws: ``SamplingError`` for parameters out of range, ``LlamaError`` when a prompt is empty or prompt plus
  ///   completion exceed the model's context.
  public func generate(
    prompts: [[Int32]], parameters: SamplingParameters, seed: UInt64, threads: Int = TensorParallelism.current
  ) throws -> [Completion] {
    try parameters.validate()
    let vocabulary = model.config.vocabularySize
    var caches: [LlamaKVCache] = []
    var samplers: [TokenSampler] = []
    var completions = [[Int32]](repeating: [], count: prompts.count)
    var reasons = [StopReason](repeating: .maxTokens, count: prompts.count)
    var next: [Int32] = []
    for (index, prompt) in prompts.enumerated() {
      let needed = prompt.count + parameters.maxTokens
      guard needed <= model.config.contextLength else {
        throw LlamaError.contextFull(capacity: model.config.contextLength, needed: needed)
      }
      let cache = try model.makeCache(capacity: needed)
      var logits = try model.prefill(tokens: prompt, cache: cache, threads: threads)
      var sampler = TokenSampler(parameters: parameters, key: Self.streamKey(seed: seed, sequence: index))
      let token = logits.withUnsafeMutableBufferPointer { sampler.next(logits: $0, history: prompt) }
      caches.append(cache)
      samplers.append(sampler)
      next.append(token)
    }
    // Active sequences, by index; each step appends every active sequence's pending token, then decodes.
    var active = Array(prompts.indices)
    while !active.isEmpty {
      var stillActive: [Int] = []
      for index in active {
        completions[index].append(next[index])
        if parameters.stopAtEndOfTurn, next[index] == endOfTurn {
          reasons[index] = .endOfTurn
        } else if completions[index].count < parameters.maxTokens {
          stillActive.append(index)
        }
      }
      active = stillActive
      guard !active.isEmpty else { break }
      var logits = try model.decodeStep(
        tokens: active.map { next[$0] }, caches: active.map { caches[$0] }, threads: threads)
      logits.withUnsafeMutableBufferPointer { all in
        for (row, index) in active.enumerated() {
          let slice = UnsafeMutableBufferPointer(rebasing: all[(row * vocabulary)..<((row + 1) * vocabulary)])
          next[index] = samplers[index].next(logits: slice, history: [prompts[index], completions[index]].joined())
        }
      }
    }
    return prompts.indices.map { Completion(promptIds: prompts[$0], ids: completions[$0], stopReason: reasons[$0]) }
  }
}
