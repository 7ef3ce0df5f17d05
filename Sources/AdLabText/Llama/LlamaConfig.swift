/// The hyper-parameters of a LLaMA-architecture decoder, read from a GGUF file's `llama.*` metadata (nothing is
/// assumed about a particular model).
public struct LlamaConfig: Sendable, Equatable {
  /// Transformer blocks.
  public let layers: Int
  /// Width of the residual stream.
  public let embedding: Int
  /// Width of the SiLU-gated feed-forward layer.
  public let feedForward: Int
  /// Query heads.
  public let heads: Int
  /// Key/value heads (grouped-query attention: `heads / kvHeads` query heads share one).
  public let kvHeads: Int
  /// Dimensions per head (`embedding / heads`).
  public let headDimension: Int
  /// Leading dimensions of each head that RoPE rotates (even, at most `headDimension`).
  public let ropeDimensions: Int
  /// RoPE frequency base.
  public let ropeBase: Double
  /// RMSNorm epsilon.
  public let rmsEpsilon: Float
  /// Longest context the model was trained for.
  public let contextLength: Int
  /// Vocabulary size (rows of the token embedding).
  public let vocabularySize: Int

  /// Width of the keys (and values) of one position: `kvHeads × headDimension`.
  public var kvWidth: Int { kvHeads * headDimension }

  /// Reads and checks the hyper-parameters. The vocabulary size comes from `token_embd.weight` when the
  /// metadata does not state it.
  public init(gguf: GGUFFile) throws(LlamaError) {
    do {
      let architecture = try gguf.string("general.architecture")
      guard architecture == "llama" else { throw LlamaError.unsupportedArchitecture(architecture) }
      func count(_ key: String) throws(GGUFError) -> Int { Int(try gguf.uint32("llama." + key)) }
      func count(_ key: String, default value: Int) throws(GGUFError) -> Int {
        if gguf.metadata["llama." + key] == nil { value } else { try count(key) }
      }
      layers = try count("block_count")
      embedding = try count("embedding_length")
      feedForward = try count("feed_forward_length")
      heads = try count("attention.head_count")
      kvHeads = try count("attention.head_count_kv", default: heads)
      rmsEpsilon = try gguf.float32("llama.attention.layer_norm_rms_epsilon")
      // llama.cpp's defaults when a converter leaves these out.
      let baseKey = "llama.rope.freq_base"
      ropeBase = if gguf.metadata[baseKey] == nil { 10_000 } else { Double(try gguf.float32(baseKey)) }
      contextLength = try count("context_length")
      guard heads > 0, embedding % heads == 0 else {
        throw LlamaError.invalidHyperParameters("embedding length \(embedding) is not a multiple of \(heads) heads")
      }
      headDimension = embedding / heads
      ropeDimensions = try count("rope.dimension_count", default: headDimension)
      if gguf.metadata["llama.vocab_size"] != nil {
        vocabularySize = try count("vocab_size")
      } else {
        guard let embeddingTensor = gguf.tensors["token_embd.weight"], embeddingTensor.dimensions.count == 2 else {
          throw LlamaError.invalidTensor(name: "token_embd.weight", reason: "missing or not a matrix")
        }
        vocabularySize = embeddingTensor.dimensions[1]
      }
    } catch let error as LlamaError {
      throw error
    } catch let error as GGUFError {
      throw .gguf(error)
    } catch {
      throw .invalidHyperParameters("\(error)")
    }
    guard layers > 0, feedForward > 0, vocabularySize > 0, contextLength > 0 else {
      throw .invalidHyperParameters(
        "block_count \(layers), feed_forward_length \(feedForward), vocabulary \(vocabularySize) and context_length "
          + "\(contextLength) must all be positive")
    }
    guard kvHeads > 0, heads % kvHeads == 0 else {
      throw .invalidHyperParameters("\(heads) query heads cannot be shared evenly by \(kvHeads) key/value heads")
    }
    guard ropeDimensions > 0, ropeDimensions % 2 == 0, ropeDimensions <= headDimension else {
      throw .invalidHyperParameters("RoPE over \(ropeDimensions) dimensions of \(headDimension)-dimensional heads")
    }
    guard rmsEpsilon.isFinite, rmsEpsilon >= 0, ropeBase.isFinite, ropeBase > 1 else {
      throw .invalidHyperParameters("RMSNorm epsilon \(rmsEpsilon) or RoPE base \(ropeBase) out of range")
    }
  }
}
