import Foundation
import Testing

@testable import AdLabText

/// Ids against the real Hugging Face tokenizer: the 12 sentence-transformers reference texts and the hard strings
/// of `wordpiece-tricky.json` (made by `Fixtures/make_wordpiece_fixtures.py`).
@Suite(.enabled(if: TokenizerModelFiles.vocabulary != nil, Comment(rawValue: TokenizerModelFiles.skipMessage)))
struct WordPieceReferenceTests {
  private struct ReferenceFile: Decodable {
    struct Item: Decodable {
      let id: String
      let text: String
      let input_ids: [Int32]
      let tokens: [String]
      let n_tokens_untruncated: Int
    }
    let items: [Item]
  }

  private struct TrickyFile: Decodable {
    struct Item: Decodable {
      let name: String
      let text: String
      let input_ids: [Int32]
      let tokens: [String]
      let untruncated_length: Int
    }
    struct RandomItem: Decodable {
      let text: String
      let input_ids: [Int32]
    }
    let max_seq_length: Int
    let items: [Item]
    let random: [RandomItem]
  }

  private static func tokenizer(maxSequenceLength: Int = 256) throws -> WordPieceTokenizer {
    let vocabulary = try #require(TokenizerModelFiles.vocabulary)
    return try WordPieceTokenizer(vocabularyFile: vocabulary, maxSequenceLength: maxSequenceLength)
  }

  @Test func theTwelveSentenceTransformersTextsMatch() throws {
    let reference = try JSONDecoder().decode(
      ReferenceFile.self, from: Data(contentsOf: TextFixtures.minilmReference))
    #expect(reference.items.count == 12)
    let tokenizer = try Self.tokenizer()
    for item in reference.items {
      let (ids, untruncatedLength) = tokenizer.encodeWithLength(item.text)
      #expect(ids == item.input_ids, "\(item.id): \(tokenizer.tokens(ids)) vs \(item.tokens)")
      #expect(tokenizer.tokens(ids) == item.tokens, "\(item.id)")
      #expect(untruncatedLength == item.n_tokens_untruncated, "\(item.id)")
    }
  }

  @Test func trickyStringsMatchTheHuggingFaceTokenizer() throws {
    let fixture = try JSONDecoder().decode(
      TrickyFile.self, from: Data(contentsOf: TextFixtures.directory.appendingPathComponent("wordpiece-tricky.json")))
    let tokenizer = try Self.tokenizer(maxSequenceLength: fixture.max_seq_length)
    #expect(fixture.items.count >= 15)
    for item in fixture.items {
      let (ids, untruncatedLength) = tokenizer.encodeWithLength(item.text)
      #expect(ids == item.input_ids, "\(item.name): \(tokenizer.tokens(ids)) vs \(item.tokens)")
      #expect(untruncatedLength == item.untruncated_length, "\(item.name)")
    }
    #expect(fixture.random.count == 400)
    for (index, item) in fixture.random.enumerated() {
      let ids = tokenizer.encode(item.text)
      #expect(
        ids == item.input_ids, "random text \(index) \(item.text.unicodeScalars.map { String($0.value, radix: 16) })")
    }
  }

  @Test func truncationKeepsClassifierFirstPiecesAndSeparator() throws {
    let tokenizer = try Self.tokenizer()
    let text = String(repeating: "waterproof hiking backpack, ", count: 100)
    let pieces = tokenizer.wordPieces(text)
    #expect(pieces.count > 256)
    let (ids, untruncatedLength) = tokenizer.encodeWithLength(text)
    #expect(untruncatedLength == pieces.count + 2)
    #expect(ids == [tokenizer.classifierId] + pieces.prefix(254) + [tokenizer.separatorId])

    let tiny = try Self.tokenizer(maxSequenceLength: 2)
    #expect(tiny.encode(text) == [tiny.classifierId, tiny.separatorId])
    #expect(tiny.encode("") == [tiny.classifierId, tiny.separatorId])
  }

  @Test func batchEncodingEqualsOneByOne() throws {
    let tokenizer = try Self.tokenizer()
    let texts = ["Crème Brûlée Kit", "", "无线耳机 4K UHD", "Wi-Fi 6 — 55\" TV", "Crème Brûlée Kit"]
    #expect(tokenizer.encode(batch: texts) == texts.map { tokenizer.encode($0) })
  }

  @Test func specialIdsAreBertsUncasedOnes() throws {
    let tokenizer = try Self.tokenizer()
    #expect(tokenizer.vocabularySize == 30522)
    #expect(
      [tokenizer.paddingId, tokenizer.unknownId, tokenizer.classifierId, tokenizer.separatorId] == [0, 100, 101, 102])
    #expect(tokenizer.tokens([101, -1, 30522, 102]) == ["[CLS]", "[UNK]", "[UNK]", "[SEP]"])
  }
}
