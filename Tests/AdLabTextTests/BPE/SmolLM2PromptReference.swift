import Foundation

/// The parts of `smollm2-reference.json` the tokenizer and generation tests read (the model tests read the logits
/// through ``SmolLM2Reference``).
struct SmolLM2PromptReference: Decodable {
  struct Settings: Decodable {
    let chat_template: String
    let eos_id: Int32
  }
  struct Prompt: Decodable {
    let id: String
    let user: String
    let rendered: String
  }
  struct Output: Decodable {
    let id: String
    let prompt_ids: [Int32]
    let completion_ids_32: [Int32]
    let completion_text_32: String?
  }
  struct Engine: Decodable {
    let outputs: [Output]
  }
  let settings: Settings
  let prompts: [Prompt]
  let engines: [String: Engine]

  static func load() throws -> SmolLM2PromptReference {
    let url = TextFixtures.directory.appendingPathComponent("smollm2-reference.json")
    return try JSONDecoder().decode(SmolLM2PromptReference.self, from: Data(contentsOf: url))
  }
}

/// `smollm2-tokenizer-tricky.json`: reference ids of hard strings (see make_smollm2_tokenizer_fixtures.py).
struct SmolLM2TokenizerCases: Decodable {
  struct Case: Decodable {
    let name: String
    let text: String
    let ids: [Int32]
  }
  let cases: [Case]

  static func load() throws -> [Case] {
    let url = TextFixtures.directory.appendingPathComponent("smollm2-tokenizer-tricky.json")
    return try JSONDecoder().decode(SmolLM2TokenizerCases.self, from: Data(contentsOf: url)).cases
  }
}
