import AdLabTensor
import Foundation
import Testing

@testable import AdLabText

/// Generation with the real model: a prompt's sampled completion does not depend on the batch it is decoded in, and
/// the same seed gives the same tokens. Skipped, with a message, when the model is not cached.
@Suite struct TextGeneratorTests {
  static let cached = FileManager.default.fileExists(atPath: SmolLM2Model.fileURL().path)

  @Test(.enabled(if: cached, "SmolLM2-135M-Instruct is not cached; run `adlab models fetch smollm2`"))
  func batchedSampledGenerationIsReproducible() throws {
    let gguf = try GGUFFile(contentsOf: SmolLM2Model.fileURL())
    let tokenizer = try BytePairTokenizer(gguf: gguf)
    let generator = TextGenerator(model: try LlamaModel(gguf: gguf), endOfTurn: tokenizer.endOfSequence)
    let reference = try SmolLM2Reference.load()
    let prompts = reference.prompts.prefix(2).map { tokenizer.encode($0.rendered, parseSpecialTokens: true) }
    let parameters = SamplingParameters(temperature: 0.9, topK: 40, topP: 0.95, repetitionPenalty: 1.1, maxTokens: 3)
    let batch = try generator.generate(prompts: prompts, parameters: parameters, seed: 11, threads: 2)
    let alone = try generator.generate(prompts: [prompts[0]], parameters: parameters, seed: 11, threads: 1)
    let again = try generator.generate(prompts: prompts, parameters: parameters, seed: 11, threads: 1)
    #expect(alone[0] == batch[0])
    #expect(again == batch)
    for completion in batch {
      #expect(!completion.ids.isEmpty && completion.ids.count <= 3)
      #expect((completion.stopReason == .endOfTurn) == (completion.ids.last == tokenizer.endOfSequence))
    }
    #expect(throws: SamplingError.self) {
      try generator.generate(prompts: prompts, parameters: SamplingParameters(maxTokens: 0), seed: 0)
    }
  }
}
