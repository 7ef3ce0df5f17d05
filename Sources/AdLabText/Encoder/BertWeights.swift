/// One transformer layer's parameters, in the layouts the encoder's GEMM calls want. Linear weights stay as
/// PyTorch stores them (`out × in`, used transposed); query, key and value are stacked into one `3H × H` matrix so
/// a single GEMM projects all three.
struct BertLayerWeights: Sendable {
  let qkvWeight: [Float]
  let qkvBias: [Float]
  let attentionOutputWeight: [Float]
  let attentionOutputBias: [Float]
  let attentionNormGain: [Float]
  let attentionNormBias: [Float]
  let intermediateWeight: [Float]
  let intermediateBias: [Float]
  let outputWeight: [Float]
  let outputBias: [Float]
  let outputNormGain: [Float]
  let outputNormBias: [Float]
}

/// All parameters of a BERT encoder (the pooler is not used by sentence-transformers' mean pooling and is not read).
struct BertWeights: Sendable {
  let wordEmbeddings: [Float]
  let positionEmbeddings: [Float]
  let tokenTypeEmbeddings: [Float]
  let embeddingNormGain: [Float]
  let embeddingNormBias: [Float]
  let layers: [BertLayerWeights]

  /// Reads every tensor by its Hugging Face name, checking dtype and shape against `config`.
  init(file: SafeTensorsFile, config: BertConfig) throws(SafeTensorsError) {
    let h = config.hiddenSize
    let inner = config.intermediateSize
    wordEmbeddings = try file.floats("embeddings.word_embeddings.weight", shape: [config.vocabularySize, h])
    positionEmbeddings = try file.floats("embeddings.position_embeddings.weight", shape: [config.maxPositions, h])
    tokenTypeEmbeddings = try file.floats(
      "embeddings.token_type_embeddings.weight", shape: [config.typeVocabularySize, h])
    embeddingNormGain = try file.floats("embeddings.LayerNorm.weight", shape: [h])
    embeddingNormBias = try file.floats("embeddings.LayerNorm.bias", shape: [h])
    var layers: [BertLayerWeights] = []
    for index in 0..<config.layers {
      let prefix = "encoder.layer.\(index)."
      func read(_ name: String, _ shape: [Int]) throws(SafeTensorsError) -> [Float] {
        try file.floats(prefix + name, shape: shape)
      }
      let qkvWeight =
        try read("attention.self.query.weight", [h, h]) + read("attention.self.key.weight", [h, h])
        + read("attention.self.value.weight", [h, h])
      let qkvBias =
        try read("attention.self.query.bias", [h]) + read("attention.self.key.bias", [h])
        + read("attention.self.value.bias", [h])
      layers.append(
        BertLayerWeights(
          qkvWeight: qkvWeight, qkvBias: qkvBias,
          attentionOutputWeight: try read("attention.output.dense.weight", [h, h]),
          attentionOutputBias: try read("attention.output.dense.bias", [h]),
          attentionNormGain: try read("attention.output.LayerNorm.weight", [h]),
          attentionNormBias: try read("attention.output.LayerNorm.bias", [h]),
          intermediateWeight: try read("intermediate.dense.weight", [inner, h]),
          intermediateBias: try read("intermediate.dense.bias", [inner]),
          outputWeight: try read("output.dense.weight", [h, inner]),
          outputBias: try read("output.dense.bias", [h]),
          outputNormGain: try read("output.LayerNorm.weight", [h]),
          outputNormBias: try read("output.LayerNorm.bias", [h])))
    }
    self.layers = layers
  }
}
