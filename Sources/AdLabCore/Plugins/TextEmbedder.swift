/// A pre-trained sentence encoder the host hands to plugins that need text representations (the `ecommerce`
/// market's `item_text`, `ad_text` and `history_text` features).
///
/// It lives in the core as a protocol so that plugins never import a language-model target: the `adlab` command
/// registers its plugins with an implementation backed by AdLabText's MiniLM encoder and on-disk embedding cache,
/// and tests may hand over any deterministic stand-in. An implementation must be safe to share between jobs and
/// must return the same bits for the same text whatever the thread count, or bundles stop being reproducible.
public protocol TextEmbedder: Sendable {
  /// The model's name, e.g. `all-MiniLM-L6-v2`.
  var modelName: String { get }
  /// Width of every embedding.
  var dimension: Int { get }
  /// Why the encoder cannot run here (model not cached, …) with the fix, or nil when it can. Spec checks call it,
  /// so `adlab validate` reports what `run` would fail on.
  func unavailableReason() -> String?
  /// The embeddings of `texts`, row-major (`texts.count × dimension`), in order.
  func embed(_ texts: [String]) throws -> [Float]
}

/// Why a text embedder could not embed.
public struct TextEmbedderError: Error, CustomStringConvertible, Equatable {
  public var description: String
  public init(_ description: String) { self.description = description }
}
