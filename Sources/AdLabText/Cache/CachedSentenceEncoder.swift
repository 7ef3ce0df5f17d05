import AdLabTensor
import Foundation

/// all-MiniLM-L6-v2 behind the on-disk `TextEmbeddingCache`: each distinct text is embedded once per model (and
/// kernel class), whatever the number of runs, jobs or replications asking for it.
///
/// The model is loaded on first use, so building one costs nothing until a text is embedded. Safe to share between
/// threads: one lock covers loading, look-up and encoding, so concurrent callers wait instead of encoding the same
/// texts twice, and the encoder runs on `threads` workers (results are bit-identical for any count).
public final class CachedSentenceEncoder: @unchecked Sendable {
  public let folder: URL
  public let cacheRoot: URL
  public let threads: Int
  private let lock = NSLock()
  private var loaded: (encoder: MiniLMEncoder, tokenizer: WordPieceTokenizer)?
  /// One cache file per kernel class the process has embedded with (`adlab run --kernels` may change it).
  private var caches: [KernelClass: TextEmbeddingCache] = [:]

  public init(
    folder: URL = ModelCache.miniLMFolder(), cacheRoot: URL = ModelCache.root(),
    threads: Int = ProcessInfo.processInfo.activeProcessorCount
  ) {
    self.folder = folder
    self.cacheRoot = cacheRoot
    self.threads = max(1, threads)
  }

  public var modelName: String { MiniLMModel.name }
  /// all-MiniLM-L6-v2's output width.
  public var dimension: Int { 384 }

  /// The weights' sha256 as the cache manifest recorded it at fetch time, or nil when the model is not cached.
  public var modelSHA256: String? {
    let manifest =
      (try? String(contentsOf: folder.appendingPathComponent(ModelCache.manifestName), encoding: .utf8)) ?? ""
    let line = manifest.split(separator: "\n").first { $0.hasSuffix("  model.safetensors") }
    return line.map { String($0.prefix(64)) }
  }

  /// Why the model cannot be used, with the fix, or nil.
  public func unavailableReason() -> String? {
    let needed = [ModelCache.manifestName, "model.safetensors", "vocab.txt", "config.json"]
    let missing = needed.filter { !FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
    guard missing.isEmpty, modelSHA256 != nil else {
      return "text features need \(MiniLMModel.name), which is not in the model cache (\(folder.path) lacks "
        + (missing.isEmpty ? "model.safetensors in its manifest" : missing.joined(separator: ", "))
        + "); run `adlab models fetch minilm` first"
    }
    return nil
  }

  /// Embeddings of `texts` (`texts.count × 384`, row-major), from the cache where stored, computed and stored
  /// otherwise.
  public func embed(_ texts: [String]) throws -> [Float] {
    try lock.withLock {
      let (encoder, tokenizer, cache) = try load()
      var missing: [String] = []
      var seen = Set<String>()
      for text in texts where cache.embedding(of: text) == nil && seen.insert(text).inserted { missing.append(text) }
      if !missing.isEmpty {
        let embeddings = try encoder.embed(missing.map(tokenizer.encode), threads: threads)
        try cache.store(missing, embeddings: embeddings.flatMap(\.vector))
      }
      var result: [Float] = []
      result.reserveCapacity(texts.count * dimension)
      for text in texts {
        guard let vector = cache.embedding(of: text) else { throw EncoderError.missingFile(path: cache.file.path) }
        result += vector
      }
      return result
    }
  }

  private func load() throws -> (MiniLMEncoder, WordPieceTokenizer, TextEmbeddingCache) {
    let kernels = KernelClass.current
    if let loaded, let cache = caches[kernels] { return (loaded.encoder, loaded.tokenizer, cache) }
    if let reason = unavailableReason() { throw CachedSentenceEncoderError(description: reason) }
    let model: (encoder: MiniLMEncoder, tokenizer: WordPieceTokenizer)
    if let loaded {
      model = loaded
    } else {
      let encoder = try MiniLMEncoder(folder: folder)
      let tokenizer = try WordPieceTokenizer(
        vocabularyFile: folder.appendingPathComponent("vocab.txt"), lowercase: true,
        maxSequenceLength: encoder.config.maxSequenceLength)
      model = (encoder, tokenizer)
      loaded = model
    }
    let cache = try TextEmbeddingCache(
      root: cacheRoot, modelName: modelName, modelSHA256: modelSHA256 ?? "", dimension: dimension, kernels: kernels)
    caches[kernels] = cache
    return (model.encoder, model.tokenizer, cache)
  }
}

/// The model is not usable (not cached); the message says how to fetch it.
public struct CachedSentenceEncoderError: Error, CustomStringConvertible, Equatable {
  public var description: String
}
