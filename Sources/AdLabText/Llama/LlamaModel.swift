import AdLabTensor
import Dispatch

/// A LLaMA-architecture decoder (SmolLM2 and its kin) running on a GGUF file's quantised weights in place.
///
/// ``prefill(tokens:cache:threads:)`` processes a prompt as matrix products over all its tokens at once;
/// ``decodeStep(tokens:caches:threads:)`` advances many sequences by one token each, so one pass over the
/// weights serves the whole batch. Every output element is computed by the same operations in the same order
/// whatever the batch and thread count (see `QuantizedMatrix`), so a sequence decoded in a batch gets the same
/// logits as decoded alone, on 1 thread as on 7, for a given ``kernels`` class.
///
/// The model only reads its weights and keeps no per-call state: it may serve several threads at once, each
/// with its own caches.
public final class LlamaModel: @unchecked Sendable {
  /// The hyper-parameters read from the file.
  public let config: LlamaConfig
  /// The kernel class of the matrix products.
  public let kernels: KernelClass
  /// Float or 8-bit activations in the matrix products.
  public let arithmetic: LlamaArithmetic
  let weights: LlamaWeights
  let rope: LlamaRoPE
  /// Keeps the mapping that the weights point into alive.
  private let file: GGUFFile

  /// Reads the hyper-parameters and checks every weight against them; the weights stay in the mapped file.
  public init(gguf: GGUFFile, kernels: KernelClass = .current, arithmetic: LlamaArithmetic = .float) throws(LlamaError)
  {
    do {
      try kernels.requireSupported()
    } catch {
      throw .invalidRequest(error.description)
    }
    let config = try LlamaConfig(gguf: gguf)
    guard config.headDimension % 8 == 0 else {
      throw .invalidHyperParameters("head dimension \(config.headDimension) is not a multiple of 8")
    }
    self.config = config
    self.kernels = kernels
    self.arithmetic = arithmetic
    self.weights = try LlamaWeights(gguf: gguf, config: config)
    self.rope = LlamaRoPE(dimensions: config.ropeDimensions, base: config.ropeBase)
    self.file = gguf
  }

  /// An empty cache for one sequence of up to `capacity` positions (default: the model's context length).
  public func makeCache(capacity: Int? = nil) throws(LlamaError) -> LlamaKVCache {
    let capacity = capacity ?? config.contextLength
    guard capacity > 0, capacity <= config.contextLength else {
      throw .invalidRequest("a cache of \(capacity) positions; the model allows 1...\(config.contextLength)")
    }
    return LlamaKVCache(layers: config.layers, width: config.kvWidth, capacity: capacity)
  }

  /// Appends `tokens` to the sequence of `cache` and returns the logits (``LlamaConfig/vocabularySize`` floats)
  /// of the next token after the last one.
  public func prefill(
    tokens: [Int32], cache: LlamaKVCache, threads: Int = TensorParallelism.current
  ) throws(LlamaError) -> [Float] {
    guard !tokens.isEmpty else { throw .invalidRequest("no tokens to process") }
    try check(cache, adding: tokens.count)
    let start = cache.count
    let rows = tokens.indices.map { Row(cache: cache, position: start + $0) }
    let logits = try forward(tokens: tokens, rows: rows, logitRows: [tokens.count - 1], threads: threads)
    cache.count += tokens.count
    return logits
  }

  /// Appends `tokens[i]` to the sequence of `caches[i]` for every `i` (distinct caches) and returns the logits of
  /// each sequence's next token, sequence after sequence (`tokens.count × vocabularySize` floats).
  public func decodeStep(
    tokens: [Int32], caches: [LlamaKVCache], threads: Int = TensorParallelism.current
  ) throws(LlamaError) -> [Float] {
    guard !tokens.isEmpty, tokens.count == caches.count else {
      throw .invalidRequest("\(tokens.count) tokens for \(caches.count) caches; give one token per cache")
    }
    guard Set(caches.map(ObjectIdentifier.init)).count == caches.count else {
      throw .invalidRequest("the same cache appears twice in one step; each sequence needs its own cache")
    }
    for cache in caches { try check(cache, adding: 1) }
    let rows = caches.map { Row(cache: $0, position: $0.count) }
    let logits = try forward(tokens: tokens, rows: rows, logitRows: Array(rows.indices), threads: threads)
    for cache in caches { cache.count += 1 }
    return logits
  }

  private func check(_ cache: LlamaKVCache, adding count: Int) throws(LlamaError) {
    guard cache.layers == config.layers, cache.width == config.kvWidth else {
      throw .invalidRequest("the cache was made for another model")
    }
    guard cache.count + count <= cache.capacity else {
      throw .contextFull(capacity: cache.capacity, needed: cache.count + count)
    }
  }

  /// One row of a forward pass: a token of some sequence at some position.
  private struct Row: Sendable {
    let cache: LlamaKVCache
    let position: Int
  }

  /// Runs every layer over `rows` (writing their keys and values into their caches) and returns the logits of
  /// the rows listed in `logitRows`, in that order.
  private func forward(tokens: [Int32], rows: [Row], logitRows: [Int], threads: Int) throws(LlamaError) -> [Float] {
    let c = config
    for token in tokens where token < 0 || Int(token) >= c.vocabularySize {
      throw .tokenOutOfRange(token: token, vocabularySize: c.vocabularySize)
    }
    let n = rows.count
    let (width, kvWidth, hidden) = (c.embedding, c.kvWidth, c.feedForward)
    let ropeWidth = 2 * rope.pairs
    let threads = Swift.max(1, threads)
    let scratch = Scratch(sizes: [
      n * width, n * width, n * width, n * kvWidth, n * kvWidth, n * width, n * hidden, n * hidden, n * ropeWidth,
    ])
    defer { scratch.free() }
    let (x, h, q, k, v, attended, gate, up, table) = (
      scratch[0], scratch[1], scratch[2], scratch[3], scratch[4], scratch[5], scratch[6], scratch[7], scratch[8]
    )

    for i in 0..<n {
      weights.tokenEmbedding.dequantizeRow(Int(tokens[i]), into: x + i * width)
      rope.fill(position: rows[i].position, into: table + i * ropeWidth)
    }
    for (l, layer) in weights.layers.enumerated() {
      layer.attentionNorm.withUnsafeBufferPointer { norm in
        for i in 0..<n {
          LlamaMath.rmsNorm(
            x + i * width, weight: norm.baseAddress!, epsilon: c.rmsEpsilon, count: width, into: h + i * width)
        }
      }
      project(layer.query, h, vectors: n, into: q, threads: threads)
      project(layer.key, h, vectors: n, into: k, threads: threads)
      project(layer.value, h, vectors: n, into: v, threads: threads)
      for i in 0..<n {
        rope.rotate(q + i * width, heads: c.heads, headDimension: c.headDimension, table: table + i * ropeWidth)
        rope.rotate(k + i * kvWidth, heads: c.kvHeads, headDimension: c.headDimension, table: table + i * ropeWidth)
        let row = rows[i]
        row.cache.key(layer: l, position: row.position).update(from: k + i * kvWidth, count: kvWidth)
        row.cache.value(layer: l, position: row.position).update(from: v + i * kvWidth, count: kvWidth)
        if arithmetic == .int8 {
          // llama.cpp keeps its KV cache in fp16.
          LlamaMath.roundToHalf(row.cache.key(layer: l, position: row.position), count: kvWidth)
          LlamaMath.roundToHalf(row.cache.value(layer: l, position: row.position), count: kvWidth)
        }
      }
      attend(layer: l, rows: rows, queries: q, into: attended, threads: threads)
      // The attention projection and the FFN output reuse `h` (free once normalised inputs are consumed).
      project(layer.attentionOutput, attended, vectors: n, into: h, threads: threads)
      for i in 0..<(n * width) { x[i] += h[i] }

      layer.feedForwardNorm.withUnsafeBufferPointer { norm in
        for i in 0..<n {
          LlamaMath.rmsNorm(
            x + i * width, weight: norm.baseAddress!, epsilon: c.rmsEpsilon, count: width, into: h + i * width)
        }
      }
      project(layer.gate, h, vectors: n, into: gate, threads: threads)
      project(layer.up, h, vectors: n, into: up, threads: threads)
      for i in 0..<n { LlamaMath.siluGate(gate + i * hidden, up: up + i * hidden, count: hidden) }
      project(layer.down, gate, vectors: n, into: h, threads: threads)
      for i in 0..<(n * width) { x[i] += h[i] }
    }

    for (j, i) in logitRows.enumerated() {
      weights.outputNorm.withUnsafeBufferPointer { norm in
        LlamaMath.rmsNorm(
          x + i * width, weight: norm.baseAddress!, epsilon: c.rmsEpsilon, count: width, into: q + j * width)
      }
    }
    var logits = [Float](repeating: 0, count: logitRows.count * c.vocabularySize)
    logits.withUnsafeMutableBufferPointer {
      project(weights.output, q, vectors: logitRows.count, into: $0.baseAddress!, threads: threads)
    }
    return logits
  }

  /// `output = matrix · input` for `vectors` vectors, with the model's arithmetic.
  private func project(
    _ matrix: QuantizedMatrix, _ input: UnsafePointer<Float>, vectors: Int, into output: UnsafeMutablePointer<Float>,
    threads: Int
  ) {
    switch arithmetic {
    case .float:
      matrix.multiply(input, vectors: vectors, into: output, kernels: kernels, threads: threads)
    case .int8:
      let activations = QuantizedActivations(quantizing: input, vectors: vectors, columns: matrix.columns)
      matrix.multiply(activations, into: output, outputStride: matrix.rows, kernels: kernels, threads: threads)
    }
  }

  /// Causal grouped-query attention of every row's query heads over its cache's positions `0...position`.
  /// Work is split by (row, head), each computed whole by one thread, so the result does not depend on threads.
  private func attend(
    layer: Int, rows: [Row], queries: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>, threads: Int
  ) {
    let c = config
    let (heads, dimension, width) = (c.heads, c.headDimension, c.embedding)
    let group = c.heads / c.kvHeads
    let scale = 1 / Float(dimension).squareRoot()
    let units = rows.count * heads
    let longest = (rows.map(\.position).max() ?? 0) + 1
    // The int8 arithmetic follows llama.cpp, whose attention products take the query and the probabilities in fp16.
    let half = arithmetic == .int8
    if half { LlamaMath.roundToHalf(queries, count: rows.count * width) }
    nonisolated(unsafe) let (q, o) = (queries, out)
    let work: @Sendable (Int, UnsafeMutablePointer<Float>) -> Void = { unit, scores in
      let (i, head) = unit.quotientAndRemainder(dividingBy: heads)
      let row = rows[i]
      let length = row.position + 1
      let kvOffset = head / group * dimension
      let query = q + i * width + head * dimension
      for t in 0..<length {
        scores[t] = LlamaMath.dot(query, row.cache.key(layer: layer, position: t) + kvOffset, count: dimension) * scale
      }
      LlamaMath.softmax(scores, count: length)
      if half { LlamaMath.roundToHalf(scores, count: length) }
      let output = o + i * width + head * dimension
      output.update(repeating: 0, count: dimension)
      for t in 0..<length {
        LlamaMath.addScaled(
          row.cache.value(layer: layer, position: t) + kvOffset, scale: scores[t], count: dimension, into: output)
      }
    }
    // At least 2^16 multiply-adds per worker: a single short sequence's heads are cheaper than waking a thread.
    let workers = Swift.max(1, Swift.min(threads, units, units * longest * dimension >> 16))
    let run: @Sendable (Int) -> Void = { worker in
      let scores = UnsafeMutablePointer<Float>.allocate(capacity: longest)
      defer { scores.deallocate() }
      var unit = worker
      while unit < units {
        work(unit, scores)
        unit += workers
      }
    }
    if workers <= 1 {
      run(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: workers, execute: run)
    }
  }
}

/// Float buffers for one forward pass, freed together.
private struct Scratch {
  private let buffers: [UnsafeMutablePointer<Float>]

  init(sizes: [Int]) {
    buffers = sizes.map { size in
      let buffer = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, size))
      buffer.initialize(repeating: 0, count: Swift.max(1, size))
      return buffer
    }
  }

  subscript(index: Int) -> UnsafeMutablePointer<Float> { buffers[index] }

  func free() { buffers.forEach { $0.deallocate() } }
}
