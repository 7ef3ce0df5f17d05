import Foundation
import Testing

@testable import AdLabText

/// The byte-level BPE tokenizer and chat template against SmolLM2's reference ids (transformers / llama.cpp).
/// Skipped, with a message, when the model is not cached (`adlab models fetch smollm2`).
@Suite struct BytePairTokenizerTests {
  static let cached = FileManager.default.fileExists(atPath: SmolLM2Model.fileURL().path)
  static let skip: Comment = "SmolLM2-135M-Instruct is not cached; run `adlab models fetch smollm2`"

  static func tokenizer() throws -> BytePairTokenizer {
    try BytePairTokenizer(gguf: GGUFFile(contentsOf: SmolLM2Model.fileURL()))
  }

  @Test(.enabled(if: cached, skip))
  func fixturePromptsRenderAndEncodeExactly() throws {
    let gguf = try GGUFFile(contentsOf: SmolLM2Model.fileURL())
    let tokenizer = try BytePairTokenizer(gguf: gguf)
    let template = try ChatTemplate(gguf: gguf)
    let reference = try SmolLM2Reference.load()
    #expect(tokenizer.endOfSequence == reference.settings.eos_id)
    #expect(tokenizer.specialTokens["<|im_start|>"] == 1 && tokenizer.specialTokens["<|im_end|>"] == 2)
    for prompt in reference.prompts {
      let rendered = template.render(messages: [.user(prompt.user)], addGenerationPrompt: true)
      #expect(rendered == prompt.rendered)
      let ids = tokenizer.encode(rendered, parseSpecialTokens: true)
      for (name, engine) in reference.engines {
        let expected = try #require(engine.outputs.first { $0.id == prompt.id }).prompt_ids
        #expect(ids == expected, "prompt \(prompt.id) against \(name)")
      }
      #expect(tokenizer.decode(ids) == rendered)
    }
  }

  @Test(.enabled(if: cached, skip))
  func trickyStringsMatchTheReferenceAndRoundTrip() throws {
    let tokenizer = try Self.tokenizer()
    let cases = try SmolLM2TokenizerCases.load()
    #expect(cases.count >= 30)
    for item in cases {
      let ids = tokenizer.encode(item.text, parseSpecialTokens: true)
      #expect(ids == item.ids, "case \(item.name)")
      #expect(tokenizer.decode(ids) == item.text, "round trip of \(item.name)")
    }
  }

  @Test(.enabled(if: cached, skip))
  func specialTokensAreTextUnlessParsed() throws {
    let tokenizer = try Self.tokenizer()
    let text = "<|im_start|>user"
    let parsed = tokenizer.encode(text, parseSpecialTokens: true)
    let literal = tokenizer.encode(text, parseSpecialTokens: false)
    #expect(parsed.first == 1 && parsed.count == 2)
    #expect(!literal.contains(1) && literal.count > 3)
    #expect(tokenizer.decode(literal) == text)
  }

  /// Decoding a token at a time never shows half a character, and the pieces join to the whole decode.
  @Test(.enabled(if: cached, skip))
  func streamingDecodeAcrossTokenBoundaries() throws {
    let tokenizer = try Self.tokenizer()
    let text = "Emoji 🏳️‍🌈👧🏽 and CJK 无线耳机 and é"
    let ids = tokenizer.encode(text, parseSpecialTokens: false)
    // The test only means something if some character is split across tokens.
    #expect(ids.contains { String(validating: tokenizer.bytes(of: $0), as: UTF8.self) == nil })
    var decoder = tokenizer.streamingDecoder()
    var streamed = ""
    for id in ids {
      let piece = decoder.append(id)
      #expect(!piece.unicodeScalars.contains("\u{FFFD}"))
      streamed += piece
    }
    streamed += decoder.finish()
    #expect(streamed == text)
  }
}

/// The tokenizer's parts without the model: pre-tokenizer rules, byte alphabet, merges, streaming, template.
@Suite struct BytePairTokenizerPartsTests {
  static func split(_ text: String) -> [String] { SmolLMPreTokenizer.split(text[...]).map(String.init) }

  @Test func preTokenizerRules() {
    #expect(Self.split("Hello world") == ["Hello", " world"])
    #expect(Self.split("it's we're") == ["it", "'s", " we", "'re"])
    #expect(Self.split("IT'S") == ["IT", "'", "S"])
    #expect(Self.split("sale 30% off") == ["sale", " ", "3", "0", "%", " off"])
    #expect(Self.split("a  b") == ["a", " ", " b"])
    #expect(Self.split("a\n\nb") == ["a", "\n", "\n", "b"])
    #expect(Self.split("a \n b") == ["a", " \n", " b"])
    #expect(Self.split("end   ") == ["end", "   "])
    #expect(Self.split("x  3") == ["x", "  ", "3"])
    #expect(Self.split("!!? (ok)") == ["!!?", " (", "ok", ")"])
    #expect(Self.split("无线 耳机") == ["无线", " 耳机"])
    #expect(Self.split("") == [])
  }

  @Test func byteAlphabetIsABijection() {
    let scalars = ByteLevelAlphabet.scalarForByte
    #expect(Set(scalars).count == 256)
    #expect(scalars[Int(UInt8(ascii: " "))] == "Ġ" && scalars[Int(UInt8(ascii: "\n"))] == "Ċ" && scalars[65] == "A")
    let all = (0...255).map { UInt8($0) }
    #expect(ByteLevelAlphabet.decode(ByteLevelAlphabet.encode(all)) == all)
  }

  /// A toy vocabulary: merges apply by rank, not by position.
  @Test func mergesApplyLowestRankFirst() throws {
    var tokens = (0...255).map { String(ByteLevelAlphabet.scalarForByte[$0]) }
    tokens += ["bc", "ab", "abc", "<|end|>"]
    var types = [Int32](repeating: 1, count: tokens.count)
    types[types.count - 1] = 3
    let tokenizer = try BytePairTokenizer(
      tokens: tokens, types: types, merges: ["b c", "a b", "a bc"], endOfSequence: 259)
    let a = Int32(UInt8(ascii: "a")), b = Int32(UInt8(ascii: "b")), c = Int32(UInt8(ascii: "c"))
    #expect(tokenizer.encode("abc", parseSpecialTokens: false) == [258])  // b c first, then a bc
    #expect(tokenizer.encode("ab", parseSpecialTokens: false) == [257])
    #expect(tokenizer.encode("ca", parseSpecialTokens: false) == [c, a])
    #expect(tokenizer.encode("ab<|end|>abc", parseSpecialTokens: true) == [257, 259, 258])
    #expect(tokenizer.encode("b<|end|>", parseSpecialTokens: false).first == b)
    #expect(throws: BytePairTokenizerError.malformedMerge(index: 0, rule: "x y")) {
      try BytePairTokenizer(tokens: tokens, types: types, merges: ["x y"], endOfSequence: 259)
    }
    // A byte without a token (SmolLM2 has none for 21 bytes) is dropped, as Hugging Face's BPE without an unknown
    // token drops it.
    let lacking = try BytePairTokenizer(
      tokens: Array(tokens.dropFirst()), types: Array(types.dropFirst()), merges: [], endOfSequence: 1)
    #expect(lacking.encode("\u{0}a", parseSpecialTokens: false) == [a - 1])
  }

  @Test func streamingHoldsBackUnfinishedCharacters() {
    let euro = Array("€".utf8)  // E2 82 AC
    #expect(BytePairTokenizer.StreamingDecoder.completePrefixLength([0x61] + euro.prefix(2)) == 1)
    #expect(BytePairTokenizer.StreamingDecoder.completePrefixLength([0x61] + euro) == 4)
    #expect(BytePairTokenizer.StreamingDecoder.completePrefixLength([0xF0, 0x9F, 0x8E]) == 0)
    #expect(BytePairTokenizer.StreamingDecoder.completePrefixLength([0x80, 0x80, 0x80, 0x80]) == 4)
  }

  @Test func chatTemplateFromTheReference() throws {
    let reference = try SmolLM2Reference.load()
    let template = try ChatTemplate(template: reference.settings.chat_template)
    #expect(template.defaultSystem == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
    for prompt in reference.prompts {
      #expect(template.render(messages: [.user(prompt.user)], addGenerationPrompt: true) == prompt.rendered)
    }
    let own = template.render(messages: [.system("Be brief."), .user("Hi")], addGenerationPrompt: false)
    #expect(own == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n")
    #expect(throws: ChatTemplate.Failure.self) {
      try ChatTemplate(template: "{{ bos_token }}{{ messages[0]['content'] }}")
    }
  }
}
