import AdLabTensor
import Foundation
import Testing

@testable import AdLabText

/// The encoder against sentence-transformers' float32 reference (12 texts, a per-layer trace), and its determinism.
/// Skipped, with a message, when the model is not cached (`adlab models fetch minilm`).
@Suite struct MiniLMEncoderTests {
  /// The cached encoder, loaded once for the suite; nil (and a skip) when the model is absent.
  static let encoder: MiniLMEncoder? = {
    let folder = ModelCache.miniLMFolder()
    guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.safetensors").path) else {
      print("MiniLMEncoderTests skipped: no model in \(folder.path); run `adlab models fetch minilm`")
      return nil
    }
    return try? MiniLMEncoder(folder: folder)
  }()

  static var modelCached: Bool { encoder != nil }

  @Test(.enabled(if: modelCached, "all-MiniLM-L6-v2 is not cached; run `adlab models fetch minilm`"))
  func embeddingsMatchSentenceTransformers() throws {
    let encoder = try #require(Self.encoder)
    let reference = try MiniLMReference.load()
    #expect(reference.items.count == 12)
    let embeddings = try KernelClass.withClass(KernelClass.best) { try encoder.embed(reference.items.map(\.inputIds)) }
    for (item, embedding) in zip(reference.items, embeddings) {
      var dot: Float = 0
      var maxDiff: Float = 0
      for (a, b) in zip(item.embedding, embedding.vector) {
        dot += a * b
        maxDiff = max(maxDiff, abs(a - b))
      }
      #expect(embedding.vector.count == 384)
      #expect(dot >= 0.9999, "cosine of \(item.id) is \(dot)")
      #expect(maxDiff <= 1e-4, "max |diff| of \(item.id) is \(maxDiff)")
      let relative =
        abs(embedding.normBeforeNormalization - item.normBeforeNormalization) / item.normBeforeNormalization
      #expect(
        relative <= 1e-4, "norm of \(item.id): \(embedding.normBeforeNormalization) vs \(item.normBeforeNormalization)")
    }
  }

  @Test(.enabled(if: modelCached, "all-MiniLM-L6-v2 is not cached; run `adlab models fetch minilm`"))
  func layerTraceMatches() throws {
    let encoder = try #require(Self.encoder)
    let reference = try MiniLMReference.load()
    let item = try #require(reference.items.first { $0.id == reference.traceTextId })
    let states = try KernelClass.withClass(KernelClass.best) { try encoder.hiddenStates(item.inputIds) }
    #expect(states.count == reference.traceStates.count)
    for (layer, (ours, theirs)) in zip(states, reference.traceStates).enumerated() {
      #expect(theirs.count == item.inputIds.count)
      var worst: Float = 0
      for (token, dims) in theirs.enumerated() {
        for (j, value) in dims.enumerated() { worst = max(worst, abs(ours[token * 384 + j] - value)) }
      }
      #expect(worst <= 1e-4, "hidden state \(layer) (0 = embeddings) differs by \(worst)")
    }
  }

  @Test(.enabled(if: modelCached, "all-MiniLM-L6-v2 is not cached; run `adlab models fetch minilm`"))
  func identicalBitsForAnyThreadCount() throws {
    let encoder = try #require(Self.encoder)
    let texts = try MiniLMReference.load().items.map(\.inputIds)
    // The fastest class only: the portable Swift kernels are too slow in a debug test build.
    for kernels in [KernelClass.best] {
      try KernelClass.withClass(kernels) {
        let one = try encoder.embed(texts, threads: 1)
        for threads in [2, 7] {
          let many = try encoder.embed(texts, threads: threads)
          #expect(
            many.map { $0.vector.map(\.bitPattern) } == one.map { $0.vector.map(\.bitPattern) },
            "\(kernels), \(threads) threads")
        }
      }
    }
  }

  @Test(.enabled(if: modelCached, "all-MiniLM-L6-v2 is not cached; run `adlab models fetch minilm`"))
  func batchEqualsOneAtATime() throws {
    let encoder = try #require(Self.encoder)
    let texts = try MiniLMReference.load().items.map(\.inputIds)
    // Repeat the texts so a pack holds many of each length, in an order unlike the sorted one.
    let many = Array((texts + texts.reversed() + texts).prefix(30))
    let batched = try KernelClass.withClass(KernelClass.best) { try encoder.embed(many, threads: 2) }
    for (ids, embedding) in zip(many, batched) {
      let alone = try KernelClass.withClass(KernelClass.best) { try encoder.embed([ids])[0] }
      let worst = zip(alone.vector, embedding.vector).map { abs($0 - $1) }.max() ?? .infinity
      #expect(worst <= 1e-6, "a text embedded in a batch differs from alone by \(worst)")
    }
  }

  @Test(.enabled(if: modelCached, "all-MiniLM-L6-v2 is not cached; run `adlab models fetch minilm`"))
  func rejectsBadInput() throws {
    let encoder = try #require(Self.encoder)
    #expect(throws: EncoderInputError.empty(index: 1)) { try encoder.embed([[101, 102], []]) }
    #expect(throws: EncoderInputError.unknownId(index: 0, id: 30522, vocabularySize: 30522)) {
      try encoder.embed([[101, 30522, 102]])
    }
    #expect(throws: EncoderInputError.tooLong(index: 0, length: 257, maximum: 256)) {
      try encoder.embed([[Int32](repeating: 1000, count: 257)])
    }
    #expect(try encoder.embed([]).isEmpty)
  }

  @Test(.enabled(if: modelCached, "all-MiniLM-L6-v2 is not cached; run `adlab models fetch minilm`"))
  func readsTheSentenceTransformersLength() throws {
    let encoder = try #require(Self.encoder)
    #expect(encoder.config.maxSequenceLength == 256)
    #expect(encoder.config.hiddenSize == 384 && encoder.config.heads == 12 && encoder.config.layers == 6)
    #expect(encoder.config.intermediateSize == 1536 && encoder.config.vocabularySize == 30522)
  }
}
