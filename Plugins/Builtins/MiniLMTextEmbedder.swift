import AdLabCore
import AdLabText

/// The text embedder the built-in plugins get: all-MiniLM-L6-v2 from the model cache, with every embedding cached
/// on disk (AdLabText's `CachedSentenceEncoder`). One instance serves every job of a process.
struct MiniLMTextEmbedder: TextEmbedder {
  let encoder: CachedSentenceEncoder

  var modelName: String { encoder.modelName }
  var dimension: Int { encoder.dimension }
  func unavailableReason() -> String? { encoder.unavailableReason() }
  func embed(_ texts: [String]) throws -> [Float] { try encoder.embed(texts) }
}
