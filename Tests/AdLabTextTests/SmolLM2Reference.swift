import AdLabText
import Foundation

/// `Fixtures/smollm2-reference.json`: the chat template, the prompts as rendered, and per engine the prompt ids,
/// greedy ids and first-step top-5 logits (read by the tokenizer, generation and model tests).
struct SmolLM2Reference: Decodable {
  struct Settings: Decodable {
    let chat_template: String
    let eos_id: Int32
  }
  struct Prompt: Decodable {
    let id: String
    let user: String
    let rendered: String
  }
  struct Logit: Decodable {
    let id: Int
    let logit: Float
  }
  struct Output: Decodable {
    let id: String
    let prompt_ids: [Int32]
    let completion_ids_32: [Int32]
    let completion_text_32: String?
    let first_step_top5_logits: [Logit]
  }
  struct Engine: Decodable {
    let outputs: [Output]
  }
  let settings: Settings
  let prompts: [Prompt]
  let engines: [String: Engine]

  /// transformers with the GGUF dequantised to float32: the engine AdLab's float path is compared with.
  var transformers: [Output] { engines["transformers_dequant_f32"]?.outputs ?? [] }

  /// llama.cpp (8-bit activations): the engine AdLab's int8 path is compared with.
  var llamaCpp: [Output] { engines["llama_cpp"]?.outputs ?? [] }

  static func load() throws -> SmolLM2Reference {
    let url = TextFixtures.directory.appendingPathComponent("smollm2-reference.json")
    return try JSONDecoder().decode(SmolLM2Reference.self, from: Data(contentsOf: url))
  }

  /// The cached GGUF file, or nil when `adlab models fetch smollm2` has not run.
  static var modelURL: URL? {
    let url = SmolLM2Model.fileURL()
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
  }
}
