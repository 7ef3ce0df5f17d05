import Foundation

/// The sentence-transformers reference of `Fixtures/minilm-reference.json`, parsed for the encoder tests.
struct MiniLMReference {
  struct Item {
    let id: String
    let text: String
    let inputIds: [Int32]
    let embedding: [Float]
    let normBeforeNormalization: Float
  }

  let items: [Item]
  /// The traced text's id (p01).
  let traceTextId: String
  /// `traceStates[k][token]`: the first dimensions of each token after the embeddings (k = 0) and each layer.
  let traceStates: [[[Float]]]

  /// Reads the committed fixture.
  static func load() throws -> MiniLMReference {
    let data = try Data(contentsOf: TextFixtures.minilmReference)
    guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      let items = root["items"] as? [[String: Any]], let trace = root["layer_trace"] as? [String: Any],
      let traceId = trace["text_id"] as? String, let states = trace["hidden_states"] as? [[[Double]]]
    else { throw CocoaError(.fileReadCorruptFile) }
    // Values are float32 written as the shortest decimal of their double value: parse as Double, cast to Float.
    let parsed = try items.map { item -> Item in
      guard let id = item["id"] as? String, let text = item["text"] as? String, let ids = item["input_ids"] as? [Int],
        let embedding = item["embedding"] as? [Double],
        let norm = item["mean_pooled_l2_norm_before_normalize"] as? Double
      else { throw CocoaError(.fileReadCorruptFile) }
      return Item(
        id: id, text: text, inputIds: ids.map { Int32($0) }, embedding: embedding.map { Float($0) },
        normBeforeNormalization: Float(norm))
    }
    return MiniLMReference(
      items: parsed, traceTextId: traceId, traceStates: states.map { $0.map { $0.map { Float($0) } } })
  }
}
