import Foundation

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
