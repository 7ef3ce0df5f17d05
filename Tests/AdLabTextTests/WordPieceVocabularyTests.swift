import Foundation
import Testing

@testable import AdLabText

/// Greedy matching and typed errors on small vocabularies written to temporary files (no model needed).
struct WordPieceVocabularyTests {
  private static let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]

  /// Writes `contents` to a fresh temporary file and returns its URL.
  private static func file(_ contents: Data) throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("adlab-vocab-\(UUID().uuidString).txt")
    try contents.write(to: url)
    return url
  }

  private static func tokenizer(
    _ tokens: [String], lowercase: Bool = true, maxSequenceLength: Int = 16
  ) throws -> WordPieceTokenizer {
    let url = try file(Data((tokens.joined(separator: "\n") + "\n").utf8))
    defer { try? FileManager.default.removeItem(at: url) }
    return try WordPieceTokenizer(vocabularyFile: url, lowercase: lowercase, maxSequenceLength: maxSequenceLength)
  }

  private static func expectError(_ expected: TokenizerError, contents: Data, maxSequenceLength: Int = 16) throws {
    let url = try file(contents)
    defer { try? FileManager.default.removeItem(at: url) }
    let thrown = #expect(throws: TokenizerError.self) {
      try WordPieceTokenizer(vocabularyFile: url, maxSequenceLength: maxSequenceLength)
    }
    #expect(thrown == expected.withPath(url.path))
  }

  @Test func greedyLongestMatchFirstWithContinuations() throws {
    let tokenizer = try Self.tokenizer(Self.specials + ["un", "una", "##aff", "##able", "##a", "##ffable", "x", ","])
    // "unaffable": "una" is the longest start, then "##ffable" — longest-first, not the linguistic split.
    #expect(tokenizer.tokens(tokenizer.wordPieces("unaffable")) == ["una", "##ffable"])
    #expect(tokenizer.tokens(tokenizer.wordPieces("UNAFFABLE, x")) == ["una", "##ffable", ",", "x"])
    // No piece covers "q", so the whole word is one [UNK] (not "un" + [UNK]).
    #expect(tokenizer.tokens(tokenizer.wordPieces("unq x")) == ["[UNK]", "x"])
    #expect(tokenizer.encode("x") == [2, 10, 3])
  }

  @Test func caseIsKeptWhenNotLowercasing() throws {
    let tokenizer = try Self.tokenizer(Self.specials + ["Café", "café", "cafe"], lowercase: false)
    #expect(tokenizer.tokens(tokenizer.wordPieces("Café café")) == ["Café", "café"])
    let uncased = try Self.tokenizer(Self.specials + ["Café", "café", "cafe"])
    #expect(uncased.tokens(uncased.wordPieces("Café CAFÉ")) == ["cafe", "cafe"])
  }

  @Test func wordsOverOneHundredScalarsAreUnknown() throws {
    let tokenizer = try Self.tokenizer(Self.specials + ["a", "##a"])
    #expect(tokenizer.wordPieces(String(repeating: "a", count: 100)).count == 100)
    #expect(tokenizer.tokens(tokenizer.wordPieces(String(repeating: "a", count: 101))) == ["[UNK]"])
    // Scalars are counted after accent stripping: 100 "á" are 100 scalars once the accents go.
    #expect(tokenizer.wordPieces(String(repeating: "a\u{301}", count: 100)).count == 100)
  }

  @Test func truncationCountsBothSpecialTokens() throws {
    let tokenizer = try Self.tokenizer(Self.specials + ["a"], maxSequenceLength: 4)
    let (ids, untruncatedLength) = tokenizer.encodeWithLength("a a a a a")
    #expect(ids == [2, 4, 4, 3])
    #expect(untruncatedLength == 7)
  }

  @Test func missingFileIsATypedError() throws {
    let path = "/nonexistent-adlab-dir/vocab.txt"
    #expect(throws: TokenizerError.vocabularyUnreadable(path: path, message: "no such file")) {
      try WordPieceTokenizer(vocabularyFile: URL(fileURLWithPath: path), maxSequenceLength: 8)
    }
  }

  @Test func emptyAndMalformedFilesAreTypedErrors() throws {
    try Self.expectError(.vocabularyEmpty(path: ""), contents: Data())
    try Self.expectError(.vocabularyEmpty(path: ""), contents: Data("\n".utf8))
    try Self.expectError(
      .vocabularyMalformed(path: "", line: 3, reason: "the line is empty"), contents: Data("[PAD]\n[UNK]\n\nx\n".utf8))
    try Self.expectError(
      .vocabularyMalformed(path: "", line: 2, reason: "the line is not valid UTF-8"),
      contents: Data("[PAD]\n".utf8) + Data([0x61, 0xFF, 0x0A]))
    try Self.expectError(
      .vocabularyMalformed(
        path: "", line: 1,
        reason: "the token contains a space, tab or carriage return (expected one token per LF-terminated line)"),
      contents: Data("[PAD]\r\n[UNK]\r\n".utf8))
    try Self.expectError(
      .duplicateToken(path: "", token: "a", firstLine: 5, line: 7),
      contents: Data((Self.specials + ["a", "b", "a"]).joined(separator: "\n").utf8))
    try Self.expectError(
      .missingSpecialToken(path: "", token: "[SEP]"), contents: Data("[PAD]\n[UNK]\n[CLS]\nx\n".utf8))
    try Self.expectError(
      .invalidMaxSequenceLength(1), contents: Data(Self.specials.joined(separator: "\n").utf8), maxSequenceLength: 1)
  }

  @Test func errorMessagesNameTheFileAndTheFix() {
    let message = TokenizerError.duplicateToken(path: "/m/vocab.txt", token: "a", firstLine: 5, line: 7).description
    #expect(message.contains("/m/vocab.txt") && message.contains("lines 5 and 7"))
    #expect(
      TokenizerError.vocabularyUnreadable(path: "/v", message: "no such file").description
        .contains("adlab models fetch minilm"))
  }
}

extension TokenizerError {
  /// The same error about another file, so expectations can be written before the temporary path is known.
  fileprivate func withPath(_ path: String) -> TokenizerError {
    switch self {
    case .vocabularyUnreadable(_, let message): return .vocabularyUnreadable(path: path, message: message)
    case .vocabularyEmpty: return .vocabularyEmpty(path: path)
    case .vocabularyMalformed(_, let line, let reason):
      return .vocabularyMalformed(path: path, line: line, reason: reason)
    case .duplicateToken(_, let token, let first, let line):
      return .duplicateToken(path: path, token: token, firstLine: first, line: line)
    case .missingSpecialToken(_, let token): return .missingSpecialToken(path: path, token: token)
    case .invalidMaxSequenceLength: return self
    }
  }
}
