import AdLabTensor

/// The weights of one transformer block: quantised projections read in place from the mapped file, norms copied.
struct LlamaLayerWeights: Sendable {
  let attentionNorm: [Float]
  let query: QuantizedMatrix
  let key: QuantizedMatrix
  let value: QuantizedMatrix
  let attentionOutput: QuantizedMatrix
  let feedForwardNorm: [Float]
  let gate: QuantizedMatrix
  let up: QuantizedMatrix
  let down: QuantizedMatrix
}

/// Every weight of the decoder, checked against the hyper-parameters; valid while the GGUF file lives.
struct LlamaWeights: Sendable {
  let tokenEmbedding: QuantizedMatrix
  /// `output.weight` when the file has one, else the token embedding (a tied head, as in SmolLM2).
  let output: QuantizedMatrix
  let outputNorm: [Float]
  let layers: [LlamaLayerWeights]

  init(gguf: GGUFFile, config c: LlamaConfig) throws(LlamaError) {
    tokenEmbedding = try Self.matrix(gguf, "token_embd.weight", rows: c.vocabularySize, columns: c.embedding)
    output =
      if gguf.tensors["output.weight"] == nil { tokenEmbedding } else {
        try Self.matrix(gguf, "output.weight", rows: c.vocabularySize, columns: c.embedding)
      }
    outputNorm = try Self.vector(gguf, "output_norm.weight", count: c.embedding)
    var layers: [LlamaLayerWeights] = []
    for i in 0..<c.layers {
      let p = "blk.\(i)."
      layers.append(
        LlamaLayerWeights(
          attentionNorm: try Self.vector(gguf, p + "attn_norm.weight", count: c.embedding),
          query: try Self.matrix(gguf, p + "attn_q.weight", rows: c.embedding, columns: c.embedding),
          key: try Self.matrix(gguf, p + "attn_k.weight", rows: c.kvWidth, columns: c.embedding),
          value: try Self.matrix(gguf, p + "attn_v.weight", rows: c.kvWidth, columns: c.embedding),
          attentionOutput: try Self.matrix(gguf, p + "attn_output.weight", rows: c.embedding, columns: c.embedding),
          feedForwardNorm: try Self.vector(gguf, p + "ffn_norm.weight", count: c.embedding),
          gate: try Self.matrix(gguf, p + "ffn_gate.weight", rows: c.feedForward, columns: c.embedding),
          up: try Self.matrix(gguf, p + "ffn_up.weight", rows: c.feedForward, columns: c.embedding),
          down: try Self.matrix(gguf, p + "ffn_down.weight", rows: c.embedding, columns: c.feedForward)))
    }
    self.layers = layers
  }

  private static func info(_ gguf: GGUFFile, _ name: String) throws(LlamaError) -> GGUFTensorInfo {
    guard let info = gguf.tensors[name] else { throw .gguf(.missingTensor(name)) }
    return info
  }

  /// A Q4_1 or Q8_0 matrix of `rows` rows of `columns` weights (ggml dimensions `[columns, rows]`).
  private static func matrix(_ gguf: GGUFFile, _ name: String, rows: Int, columns: Int) throws(LlamaError)
    -> QuantizedMatrix
  {
    let info = try info(gguf, name)
    guard info.dimensions == [columns, rows] else {
      throw .gguf(.wrongShape(tensor: name, expected: [columns, rows], found: info.dimensions))
    }
    let format: QuantizedBlockFormat
    switch info.type {
    case .q4_1: format = .q4_1
    case .q8_0: format = .q8_0
    default:
      throw .gguf(.unsupportedTensorType(tensor: name, type: "\(info.type)", supported: ["q4_1", "q8_0"]))
    }
    do {
      return try QuantizedMatrix(name: name, format: format, rows: rows, columns: columns, bytes: gguf.bytes(of: info))
    } catch {
      throw .invalidTensor(name: name, reason: error.description)
    }
  }

  /// An F32 vector of `count` values, copied out of the file.
  private static func vector(_ gguf: GGUFFile, _ name: String, count: Int) throws(LlamaError) -> [Float] {
    let info = try info(gguf, name)
    guard info.dimensions == [count] else {
      throw .gguf(.wrongShape(tensor: name, expected: [count], found: info.dimensions))
    }
    guard info.type == .f32 else {
      throw .gguf(.unsupportedTensorType(tensor: name, type: "\(info.type)", supported: ["f32"]))
    }
    let bytes = gguf.bytes(of: info)
    guard bytes.count == 4 * count else {
      throw .invalidTensor(name: name, reason: "\(bytes.count) bytes for \(count) floats")
    }
    return (0..<count).map { bytes.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) }
  }
}
