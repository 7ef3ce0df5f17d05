import AdLabTensor
import Foundation
import Testing

@testable import AdLabText

/// The on-disk text embedding cache: round trip, keys, damaged files; and the cached MiniLM encoder (skipped with
/// a message when the model is not cached).
struct TextEmbeddingCacheTests {
  static func temporaryRoot() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "adlab-embedding-cache-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    return root
  }

  static let modelA = String(repeating: "a", count: 64)
  static let modelB = String(repeating: "b", count: 64)

  @Test func embeddingsRoundTripThroughTheFileBitForBit() throws {
    let root = try Self.temporaryRoot()
    defer { try? FileManager.default.removeItem(at: root) }
    let texts = ["rugged waterproof tent", "organic green tea", "", "Ünïcode — ✓"]
    var stored: [Float] = (0..<(texts.count * 4)).map { Float($0) * 0.37 - 1.5 }
    stored[5] = .leastNonzeroMagnitude  // a subnormal survives too
    let cache = try TextEmbeddingCache(
      root: root, modelName: "m", modelSHA256: Self.modelA, dimension: 4, kernels: .portable)
    try cache.store(texts, embeddings: stored)
    let reopened = try TextEmbeddingCache(
      root: root, modelName: "m", modelSHA256: Self.modelA, dimension: 4, kernels: .portable)
    #expect(reopened.count == texts.count)
    for (index, text) in texts.enumerated() {
      let vector = try #require(reopened.embedding(of: text))
      #expect(vector.map(\.bitPattern) == stored[(index * 4)..<((index + 1) * 4)].map(\.bitPattern))
    }
    #expect(reopened.embedding(of: "not stored") == nil)
    // 8-byte magic, 64-byte model hash, 4-byte width, then one 32 + 16-byte record per text.
    let size = try #require(try FileManager.default.attributesOfItem(atPath: reopened.file.path)[.size] as? Int)
    #expect(size == 8 + 64 + 4 + texts.count * (32 + 16))
    // Storing a text again appends nothing.
    try reopened.store([texts[0]], embeddings: [9, 9, 9, 9])
    #expect(try FileManager.default.attributesOfItem(atPath: reopened.file.path)[.size] as? Int == size)
  }

  @Test func theKeyChangesWithTheTextAndWithTheModel() throws {
    let key = TextEmbeddingCache.Key(modelSHA256: Self.modelA, text: "trail running shoes")
    #expect(key == TextEmbeddingCache.Key(modelSHA256: Self.modelA, text: "trail running shoes"))
    #expect(key != TextEmbeddingCache.Key(modelSHA256: Self.modelA, text: "trail running shoe"))
    #expect(key != TextEmbeddingCache.Key(modelSHA256: Self.modelB, text: "trail running shoes"))
    // The text part is the sha256 of its UTF-8 bytes.
    #expect(
      TextEmbeddingCache.Key(modelSHA256: Self.modelA, text: "abc").textSHA256.map { String(format: "%02x", $0) }
        .joined()
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    // Another model's embeddings live in another file, and a file is never read as another model's.
    let root = try Self.temporaryRoot()
    defer { try? FileManager.default.removeItem(at: root) }
    let a = try TextEmbeddingCache(
      root: root, modelName: "m", modelSHA256: Self.modelA, dimension: 2, kernels: .portable)
    try a.store(["x"], embeddings: [1, 2])
    let b = try TextEmbeddingCache(
      root: root, modelName: "m", modelSHA256: Self.modelB, dimension: 2, kernels: .portable)
    #expect(a.file != b.file && b.embedding(of: "x") == nil)
    let otherClass = try TextEmbeddingCache(
      root: root, modelName: "m", modelSHA256: Self.modelA, dimension: 2, kernels: .x86_64_v3)
    #expect(otherClass.file != a.file && otherClass.embedding(of: "x") == nil)
    try? FileManager.default.removeItem(at: b.file)
    try FileManager.default.copyItem(at: a.file, to: b.file)  // model A's records under model B's name
    #expect(throws: TextEmbeddingCacheError.mismatched(path: b.file.path)) {
      _ = try TextEmbeddingCache(root: root, modelName: "m", modelSHA256: Self.modelB, dimension: 2, kernels: .portable)
    }
  }

  @Test func aRecordCutShortIsIgnoredAndDroppedOnTheNextAppend() throws {
    let root = try Self.temporaryRoot()
    defer { try? FileManager.default.removeItem(at: root) }
    let cache = try TextEmbeddingCache(
      root: root, modelName: "m", modelSHA256: Self.modelA, dimension: 2, kernels: .portable)
    try cache.store(["one", "two"], embeddings: [1, 2, 3, 4])
    let handle = try FileHandle(forWritingTo: cache.file)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data([1, 2, 3, 4, 5]))  // a crash in the middle of a record
    try handle.close()
    let reopened = try TextEmbeddingCache(
      root: root, modelName: "m", modelSHA256: Self.modelA, dimension: 2, kernels: .portable)
    #expect(reopened.count == 2)
    try reopened.store(["three"], embeddings: [5, 6])
    let again = try TextEmbeddingCache(
      root: root, modelName: "m", modelSHA256: Self.modelA, dimension: 2, kernels: .portable)
    #expect(again.count == 3 && again.embedding(of: "three") == [5, 6] && again.embedding(of: "one") == [1, 2])
  }

  @Test(.enabled(if: MiniLMEncoderTests.modelCached, "all-MiniLM-L6-v2 is not cached; run `adlab models fetch minilm`"))
  func theCachedEncoderEmbedsEachTextOnceAndMatchesTheEncoder() throws {
    let root = try Self.temporaryRoot()
    defer { try? FileManager.default.removeItem(at: root) }
    let texts = [
      "rugged waterproof 2-person tent", "New: organic green tea — shop now", "rugged waterproof 2-person tent",
    ]
    let cached = CachedSentenceEncoder(cacheRoot: root, threads: 2)
    #expect(cached.unavailableReason() == nil)
    let first = try cached.embed(texts)
    #expect(first.count == 3 * 384 && Array(first[0..<384]) == Array(first[768..<1152]))
    // Fresh process state, same disk: read back, not recomputed, and equal to the encoder's own output.
    let again = try CachedSentenceEncoder(cacheRoot: root, threads: 1).embed(texts)
    #expect(again.map(\.bitPattern) == first.map(\.bitPattern))
    let encoder = try #require(MiniLMEncoderTests.encoder)
    let tokenizer = try WordPieceTokenizer(
      vocabularyFile: ModelCache.miniLMFolder().appendingPathComponent("vocab.txt"), lowercase: true,
      maxSequenceLength: encoder.config.maxSequenceLength)
    let direct = try encoder.embed(texts.map(tokenizer.encode)).flatMap(\.vector)
    #expect(direct.map(\.bitPattern) == first.map(\.bitPattern))
    let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("embeddings").path)
    #expect(files.count == 1)
  }

  @Test func anUncachedModelSaysHowToFetchIt() {
    let missing = CachedSentenceEncoder(
      folder: URL(fileURLWithPath: "/nonexistent/adlab-model"), cacheRoot: URL(fileURLWithPath: "/tmp"))
    let reason = missing.unavailableReason() ?? ""
    #expect(reason.contains("adlab models fetch minilm"))
    #expect(throws: CachedSentenceEncoderError.self) { _ = try missing.embed(["x"]) }
  }
}
