import Foundation
import Testing

@testable import AdLabText

/// The reader on the real SmolLM2-135M-Instruct Q4_1 file: the facts issue 13 states, read from its metadata and
/// tensor infos. Skipped, with a message, when the model is not cached (`adlab models fetch smollm2`).
@Suite struct SmolLM2FileTests {
  static let url = SmolLM2Model.fileURL()
  static let cached = FileManager.default.fileExists(atPath: url.path)

  @Test(.enabled(if: cached, "SmolLM2-135M-Instruct is not cached; run `adlab models fetch smollm2`"))
  func hyperparametersAndTensorTypes() throws {
    let file = try GGUFFile(contentsOf: Self.url)
    #expect(file.version == 3)
    #expect(try file.string("general.architecture") == "llama")
    #expect(try file.integer("llama.block_count") == 30)
    #expect(try file.integer("llama.embedding_length") == 576)
    #expect(try file.integer("llama.feed_forward_length") == 1536)
    #expect(try file.integer("llama.attention.head_count") == 9)
    #expect(try file.integer("llama.attention.head_count_kv") == 3)
    #expect(try file.float32("llama.rope.freq_base") == 100_000)
    #expect(try file.float32("llama.attention.layer_norm_rms_epsilon") == 1e-5)
    #expect(try file.string("tokenizer.ggml.model") == "gpt2")
    #expect(try file.string("tokenizer.ggml.pre") == "smollm")
    #expect(try file.stringArray("tokenizer.ggml.tokens").count == 49152)
    #expect(try file.stringArray("tokenizer.ggml.merges").count == 48900)
    var counts: [GGUFTensorType: Int] = [:]
    for info in file.tensors.values { counts[info.type, default: 0] += 1 }
    #expect(counts == [.q4_1: 210, .f32: 61, .q8_0: 1])
    let embedding = try file.tensor("token_embd.weight")
    #expect(embedding.type == .q8_0)
    #expect(embedding.dimensions == [576, 49152])
    #expect(file.tensors["output.weight"] == nil)  // the head is tied to the embedding
    // The last tensor ends within one alignment of the end of the file: nothing unread, nothing missing.
    let end = file.tensors.values.map { file.dataOffset + $0.offset + $0.byteCount }.max() ?? 0
    #expect(end <= file.fileSize && file.fileSize - end < file.alignment)
  }
}
