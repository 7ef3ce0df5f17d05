import AdLabTensor
import Dispatch
import Foundation

/// One text's sentence embedding.
public struct SentenceEmbedding: Equatable, Sendable {
  /// The L2-normalised mean of the last layer over the text's tokens (what sentence-transformers returns).
  public let vector: [Float]
  /// The L2 norm of the mean-pooled vector before normalisation.
  public let normBeforeNormalization: Float
}

/// A BERT sentence encoder (all-MiniLM-L6-v2 and models of its shape) running on AdLab's GEMM: embeddings +
/// LayerNorm, `layers` × (multi-head self-attention, residual, LayerNorm, GELU feed-forward, residual, LayerNorm),
/// mean pooling over the text's tokens, L2 normalisation. Inference only: straight loops over unsafe buffers and
/// GEMM calls, not the autodiff graph.
///
/// **Batching without padding.** Texts are sorted by length and cut into packs of at most
/// ``tokenBudget`` tokens; a pack lays its texts end to end, so the projections and the feed-forward are one GEMM
/// over all the pack's tokens and no padding token is ever computed. Only attention is per text (per text and head,
/// over exactly its own tokens), which is what an attention mask over padding would compute.
///
/// **Determinism.** GEMM gives each output element a fixed order of operations whatever its tile or thread, and
/// every other step is per row in a fixed order, so a text's embedding is bit-identical for any thread count and
/// any batch it is packed with (within one kernel class).
public struct MiniLMEncoder: Sendable {
  public let config: BertConfig
  let weights: BertWeights
  /// Tokens per pack: large enough for GEMM to run at full speed, small enough to stay in cache-friendly sizes.
  static let tokenBudget = 2048

  /// Loads the model from `folder` (default: the cached all-MiniLM-L6-v2).
  /// - Throws: ``EncoderError`` when a file is missing or does not match the config.
  public init(folder: URL = ModelCache.miniLMFolder()) throws(EncoderError) {
    config = try BertConfig(folder: folder)
    let url = folder.appendingPathComponent("model.safetensors")
    guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path) }
    do {
      weights = try BertWeights(file: SafeTensorsFile(url: url), config: config)
    } catch {
      throw .weights(error)
    }
  }

  /// Embeds each text's token ids (with `[CLS]` and `[SEP]`); the result is in input order.
  /// - Parameter threads: GEMM and attention workers (≥ 1); never changes the result.
  /// - Throws: ``EncoderInputError`` for an empty, too long or out-of-vocabulary input.
  public func embed(_ texts: [[Int32]], threads: Int = 1) throws(EncoderInputError) -> [SentenceEmbedding] {
    try validate(texts)
    guard !texts.isEmpty else { return [] }
    let threads = max(1, threads)
    let order = texts.indices.sorted { (texts[$0].count, $0) < (texts[$1].count, $1) }
    var packs: [[Int]] = [[]]
    var packTokens = 0
    for index in order {
      if packTokens + texts[index].count > Self.tokenBudget, !(packs[packs.count - 1].isEmpty) {
        packs.append([])
        packTokens = 0
      }
      packs[packs.count - 1].append(index)
      packTokens += texts[index].count
    }
    let longest = texts.map(\.count).max() ?? 1
    let capacity = max(longest, packs.map { $0.reduce(0) { $0 + texts[$1].count } }.max() ?? 1)
    let workspace = EncoderWorkspace(config: config, tokens: capacity, longest: longest, workers: threads)
    var results = [SentenceEmbedding?](repeating: nil, count: texts.count)
    for pack in packs {
      let embeddings = forward(pack.map { texts[$0] }, threads: threads, workspace: workspace, observe: nil)
      for (index, embedding) in zip(pack, embeddings) { results[index] = embedding }
    }
    return results.compactMap { $0 }
  }

  /// The hidden states of one text after the embeddings (element 0) and after each layer (`tokens × hidden`,
  /// row-major): the per-layer trace the reference fixture checks.
  public func hiddenStates(_ ids: [Int32]) throws(EncoderInputError) -> [[Float]] {
    try validate([ids])
    let workspace = EncoderWorkspace(config: config, tokens: ids.count, longest: ids.count, workers: 1)
    var states: [[Float]] = []
    _ = forward([ids], threads: 1, workspace: workspace) { hidden in
      states.append(Array(UnsafeBufferPointer(start: hidden, count: ids.count * config.hiddenSize)))
    }
    return states
  }

  private func validate(_ texts: [[Int32]]) throws(EncoderInputError) {
    for (index, ids) in texts.enumerated() {
      guard !ids.isEmpty else { throw .empty(index: index) }
      guard ids.count <= config.maxSequenceLength else {
        throw .tooLong(index: index, length: ids.count, maximum: config.maxSequenceLength)
      }
      for id in ids where id < 0 || Int(id) >= config.vocabularySize {
        throw .unknownId(index: index, id: id, vocabularySize: config.vocabularySize)
      }
    }
  }

  /// Runs the whole model over one pack of validated texts laid end to end.
  private func forward(
    _ pack: [[Int32]], threads: Int, workspace: EncoderWorkspace, observe: ((UnsafePointer<Float>) -> Void)?
  ) -> [SentenceEmbedding] {
    let h = config.hiddenSize
    let tokens = pack.reduce(0) { $0 + $1.count }
    var starts: [Int] = []
    var offset = 0
    for ids in pack {
      starts.append(offset)
      offset += ids.count
    }
    let x = workspace.hidden
    let kernels = KernelClass.current  // read once: the workers below are Dispatch threads
    embed(pack, into: x, kernels: kernels)
    observe?(x)
    for layer in weights.layers {
      // Q, K and V for every token in one GEMM: qkv = x · Wqkvᵀ + b.
      Self.broadcast(layer.qkvBias, rows: tokens, into: workspace.qkv)
      linear(x, rows: tokens, inputs: h, weight: layer.qkvWeight, outputs: 3 * h, into: workspace.qkv, threads: threads)
      attention(lengths: pack.map(\.count), starts: starts, workspace: workspace, threads: threads, kernels: kernels)
      // Attention output projection, residual, LayerNorm.
      Self.broadcast(layer.attentionOutputBias, rows: tokens, into: workspace.sum)
      linear(
        workspace.context, rows: tokens, inputs: h, weight: layer.attentionOutputWeight, outputs: h,
        into: workspace.sum, threads: threads)
      addResidualAndNormalize(
        workspace.sum, residual: x, rows: tokens, gain: layer.attentionNormGain, bias: layer.attentionNormBias, into: x,
        threads: threads, kernels: kernels)
      // Feed-forward: GELU(x · W1ᵀ + b1) · W2ᵀ + b2, residual, LayerNorm.
      let inner = config.intermediateSize
      Self.broadcast(layer.intermediateBias, rows: tokens, into: workspace.intermediate)
      linear(
        x, rows: tokens, inputs: h, weight: layer.intermediateWeight, outputs: inner, into: workspace.intermediate,
        threads: threads)
      gelu(workspace.intermediate, count: tokens * inner, threads: threads, kernels: kernels)
      Self.broadcast(layer.outputBias, rows: tokens, into: workspace.sum)
      linear(
        workspace.intermediate, rows: tokens, inputs: inner, weight: layer.outputWeight, outputs: h,
        into: workspace.sum, threads: threads)
      addResidualAndNormalize(
        workspace.sum, residual: x, rows: tokens, gain: layer.outputNormGain, bias: layer.outputNormBias, into: x,
        threads: threads, kernels: kernels)
      observe?(x)
    }
    return zip(pack, starts).map { ids, start in pool(x + start * h, tokens: ids.count) }
  }

  /// Word + token type (all 0) + position embeddings, then LayerNorm, in the order BERT adds them.
  private func embed(_ pack: [[Int32]], into x: UnsafeMutablePointer<Float>, kernels: KernelClass) {
    let h = config.hiddenSize
    weights.wordEmbeddings.withUnsafeBufferPointer { words in
      weights.positionEmbeddings.withUnsafeBufferPointer { positions in
        weights.tokenTypeEmbeddings.withUnsafeBufferPointer { types in
          var row = x
          for ids in pack {
            for (position, id) in ids.enumerated() {
              let word = words.baseAddress! + Int(id) * h
              let place = positions.baseAddress! + position * h
              for j in 0..<h { row[j] = (word[j] + types[j]) + place[j] }
              row += h
            }
          }
        }
      }
    }
    let tokens = pack.reduce(0) { $0 + $1.count }
    weights.embeddingNormGain.withUnsafeBufferPointer { gain in
      weights.embeddingNormBias.withUnsafeBufferPointer { bias in
        for t in 0..<tokens {
          EncoderMath.layerNorm(
            x + t * h, count: h, gain: gain.baseAddress!, bias: bias.baseAddress!, epsilon: config.layerNormEpsilon,
            into: x + t * h, kernels: kernels)
        }
      }
    }
  }

  /// Copies `bias` into every row of `target`, so the next GEMM (beta 1) adds the product onto it.
  private static func broadcast(_ bias: [Float], rows: Int, into target: UnsafeMutablePointer<Float>) {
    bias.withUnsafeBufferPointer { source in
      for row in 0..<rows { (target + row * source.count).update(from: source.baseAddress!, count: source.count) }
    }
  }

  /// `output += input · weightᵀ` with `weight` stored `outputs × inputs` (PyTorch's Linear layout).
  private func linear(
    _ input: UnsafePointer<Float>, rows: Int, inputs: Int, weight: [Float], outputs: Int,
    into output: UnsafeMutablePointer<Float>, threads: Int
  ) {
    weight.withUnsafeBufferPointer { w in
      GEMM.sgemm(
        transA: false, transB: true, m: rows, n: outputs, k: inputs, alpha: 1, a: input, lda: inputs,
        b: w.baseAddress!, ldb: inputs, beta: 1, c: output, ldc: outputs, threads: threads)
    }
  }

  /// Multi-head self-attention of each text over its own tokens: per (text, head), scores = Q·Kᵀ/√d (the scale, a
  /// power of two for d = 64, is exact as GEMM's alpha), a row softmax, and context = P·V written into the head's
  /// columns. Work items are spread over `threads` workers; each item's arithmetic is the same whoever runs it.
  private func attention(lengths: [Int], starts: [Int], workspace: EncoderWorkspace, threads: Int, kernels: KernelClass)
  {
    let h = config.hiddenSize
    let heads = config.heads
    let d = config.headSize
    let scale = 1 / Float(d).squareRoot()
    let items = lengths.count * heads
    let workers = min(threads, items)
    nonisolated(unsafe) let qkv = workspace.qkv
    nonisolated(unsafe) let context = workspace.context
    nonisolated(unsafe) let scoreBase = workspace.scores
    let stride = workspace.scoresStride
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      KernelClass.bound(kernels) {
        let scores = scoreBase + worker * stride
        var item = worker
        while item < items {
          let text = item / heads
          let head = item % heads
          let length = lengths[text]
          let rows = qkv + starts[text] * 3 * h + head * d
          GEMM.sgemm(
            transA: false, transB: true, m: length, n: length, k: d, alpha: scale, a: rows, lda: 3 * h,
            b: rows + h, ldb: 3 * h, beta: 0, c: scores, ldc: length, threads: 1)
          for i in 0..<length { EncoderMath.softmax(scores + i * length, count: length, kernels: kernels) }
          GEMM.sgemm(
            transA: false, transB: false, m: length, n: d, k: length, alpha: 1, a: scores, lda: length,
            b: rows + 2 * h, ldb: 3 * h, beta: 0, c: context + starts[text] * h + head * d, ldc: h, threads: 1)
          item += workers
        }
      }
    }
  }

  /// `x = LayerNorm(sum + residual)` row by row, rows split over `threads` in fixed contiguous ranges.
  private func addResidualAndNormalize(
    _ sum: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>, rows: Int, gain: [Float], bias: [Float],
    into x: UnsafeMutablePointer<Float>, threads: Int, kernels: KernelClass
  ) {
    let h = config.hiddenSize
    let epsilon = config.layerNormEpsilon
    nonisolated(unsafe) let sum = sum
    nonisolated(unsafe) let residual = residual
    nonisolated(unsafe) let x = x
    gain.withUnsafeBufferPointer { gain in
      bias.withUnsafeBufferPointer { bias in
        nonisolated(unsafe) let g = gain.baseAddress!
        nonisolated(unsafe) let b = bias.baseAddress!
        Self.split(rows, threads: threads) { range in
          for t in range {
            let row = sum + t * h
            let skip = residual + t * h
            for j in 0..<h { row[j] += skip[j] }
            EncoderMath.layerNorm(row, count: h, gain: g, bias: b, epsilon: epsilon, into: x + t * h, kernels: kernels)
          }
        }
      }
    }
  }

  /// GELU, the exact form BERT uses, elementwise in fixed contiguous ranges (each element's result does not
  /// depend on the cut).
  private func gelu(_ values: UnsafeMutablePointer<Float>, count: Int, threads: Int, kernels: KernelClass) {
    nonisolated(unsafe) let values = values
    Self.split(count, threads: threads) { range in
      EncoderMath.gelu(values + range.lowerBound, count: range.count, kernels: kernels)
    }
  }

  /// Runs `body` over `0..<count` cut into `threads` contiguous ranges (one per worker); for elementwise and per-row
  /// steps whose results do not depend on the cut.
  private static func split(_ count: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let parts = max(1, min(threads, count / 64))
    if parts == 1 { return body(0..<count) }
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      body((part * count / parts)..<((part + 1) * count / parts))
    }
  }

  /// Mean over a text's tokens, then L2 normalisation (x / max(‖x‖, 1e-12), as sentence-transformers does).
  private func pool(_ rows: UnsafePointer<Float>, tokens: Int) -> SentenceEmbedding {
    let h = config.hiddenSize
    var mean = [Float](repeating: 0, count: h)
    for t in 0..<tokens {
      for j in 0..<h { mean[j] += rows[t * h + j] }
    }
    let count = Float(tokens)
    var squares: Float = 0
    for j in 0..<h {
      mean[j] /= count
      squares += mean[j] * mean[j]
    }
    let norm = squares.squareRoot()
    let divisor = max(norm, 1e-12)
    return SentenceEmbedding(vector: mean.map { $0 / divisor }, normBeforeNormalization: norm)
  }
}
