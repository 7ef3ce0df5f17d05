import Foundation

/// The shape of a BERT encoder, read from the model folder's `config.json` (architecture) and
/// `sentence_bert_config.json` (`max_seq_length`: the limit sentence-transformers truncates to, 256 for
/// all-MiniLM-L6-v2, not the tokenizer's 512).
public struct BertConfig: Equatable, Sendable {
  public var hiddenSize: Int
  public var heads: Int
  public var layers: Int
  public var intermediateSize: Int
  public var vocabularySize: Int
  public var maxPositions: Int
  public var typeVocabularySize: Int
  public var layerNormEpsilon: Float
  /// Tokens per text including `[CLS]` and `[SEP]`.
  public var maxSequenceLength: Int

  public var headSize: Int { hiddenSize / heads }

  private struct ArchitectureFile: Decodable {
    let hidden_size: Int
    let num_attention_heads: Int
    let num_hidden_layers: Int
    let intermediate_size: Int
    let vocab_size: Int
    let max_position_embeddings: Int
    let type_vocab_size: Int
    let layer_norm_eps: Double
    let hidden_act: String
    let position_embedding_type: String?
  }

  private struct SentenceFile: Decodable {
    let max_seq_length: Int
  }

  /// Reads both files from `folder`.
  /// - Throws: ``EncoderError`` when a file is missing, not the expected JSON, or describes an unsupported model.
  public init(folder: URL) throws(EncoderError) {
    let architecture: ArchitectureFile = try Self.decode(folder.appendingPathComponent("config.json"))
    let sentenceURL = folder.appendingPathComponent("sentence_bert_config.json")
    let sentence: SentenceFile = try Self.decode(sentenceURL)
    let configPath = folder.appendingPathComponent("config.json").path
    guard architecture.hidden_act == "gelu" else {
      throw .badConfig(
        path: configPath, reason: "hidden_act \(architecture.hidden_act) is not supported (only gelu, the erf form)")
    }
    guard (architecture.position_embedding_type ?? "absolute") == "absolute" else {
      throw .badConfig(path: configPath, reason: "only absolute position embeddings are supported")
    }
    let sizes = [
      architecture.hidden_size, architecture.num_attention_heads, architecture.num_hidden_layers,
      architecture.intermediate_size, architecture.vocab_size, architecture.max_position_embeddings,
      architecture.type_vocab_size,
    ]
    guard sizes.allSatisfy({ $0 > 0 }), architecture.hidden_size % architecture.num_attention_heads == 0 else {
      throw .badConfig(
        path: configPath, reason: "sizes must be positive and hidden_size a multiple of num_attention_heads")
    }
    guard sentence.max_seq_length >= 2, sentence.max_seq_length <= architecture.max_position_embeddings else {
      throw .badConfig(
        path: sentenceURL.path,
        reason: "max_seq_length \(sentence.max_seq_length) must lie in 2...\(architecture.max_position_embeddings)")
    }
    hiddenSize = architecture.hidden_size
    heads = architecture.num_attention_heads
    layers = architecture.num_hidden_layers
    intermediateSize = architecture.intermediate_size
    vocabularySize = architecture.vocab_size
    maxPositions = architecture.max_position_embeddings
    typeVocabularySize = architecture.type_vocab_size
    layerNormEpsilon = Float(architecture.layer_norm_eps)
    maxSequenceLength = sentence.max_seq_length
  }

  private static func decode<T: Decodable>(_ url: URL) throws(EncoderError) -> T {
    guard let data = FileManager.default.contents(atPath: url.path) else { throw .missingFile(path: url.path) }
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch {
      throw .badConfig(path: url.path, reason: "\(error)")
    }
  }
}
