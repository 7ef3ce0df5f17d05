import Foundation

/// BERT's uncased WordPiece tokenizer as all-MiniLM-L6-v2's stack runs it (Hugging Face `BertNormalizer`,
/// `BertPreTokenizer`, `WordPiece` with `##` continuations and `max_input_chars_per_word` 100, `[CLS] … [SEP]`).
///
/// The vocabulary is hashed once at load; encoding works over Unicode scalars and UTF-8 byte ranges, no regex.
public struct WordPieceTokenizer: Sendable {
  /// Longest sequence `encode` returns, `[CLS]` and `[SEP]` included.
  public let maxSequenceLength: Int
  /// Whether text is lower-cased and accent-stripped before splitting (BERT uncased: true).
  public let lowercase: Bool
  /// A word of more Unicode scalars than this becomes a single `[UNK]` (the reference's `max_input_chars_per_word`).
  public static let maxScalarsPerWord = 100

  /// Ids of `[UNK]` (unmatched or over-long words), `[CLS]` (first), `[SEP]` (last) and `[PAD]` (for batching).
  public let unknownId: Int32
  public let classifierId: Int32
  public let separatorId: Int32
  public let paddingId: Int32

  private let vocabulary: WordPieceVocabulary
  private let splitter: BertWordSplitter

  /// Number of tokens in the vocabulary (ids are `0 ..< vocabularySize`).
  public var vocabularySize: Int { vocabulary.tokens.count }

  /// Loads `vocab.txt` (one token per line, id = line index). Throws when the file is missing, empty or malformed,
  /// lacks `[UNK]`/`[CLS]`/`[SEP]`/`[PAD]`, or when `maxSequenceLength` < 2.
  public init(vocabularyFile: URL, lowercase: Bool = true, maxSequenceLength: Int) throws(TokenizerError) {
    guard maxSequenceLength >= 2 else { throw .invalidMaxSequenceLength(maxSequenceLength) }
    let vocabulary = try WordPieceVocabulary(contentsOf: vocabularyFile)
    func special(_ token: String) throws(TokenizerError) -> Int32 {
      guard let id = vocabulary.id(of: token) else {
        throw .missingSpecialToken(path: vocabularyFile.path, token: token)
      }
      return id
    }
    self.unknownId = try special("[UNK]")
    self.classifierId = try special("[CLS]")
    self.separatorId = try special("[SEP]")
    self.paddingId = try special("[PAD]")
    self.vocabulary = vocabulary
    self.lowercase = lowercase
    self.maxSequenceLength = maxSequenceLength
    self.splitter = BertWordSplitter(lowercase: lowercase)
  }

  /// `[CLS]` + the text's word pieces + `[SEP]`, cut to `maxSequenceLength` ids including both specials
  /// (so at most `maxSequenceLength - 2` pieces are kept, the first ones).
  public func encode(_ text: String) -> [Int32] {
    var scratch = EncodingScratch()
    return encode(text, scratch: &scratch).ids
  }

  /// Like `encode`, and also the length the sequence would have without truncation (pieces + 2).
  public func encodeWithLength(_ text: String) -> (ids: [Int32], untruncatedLength: Int) {
    var scratch = EncodingScratch()
    return encode(text, scratch: &scratch)
  }

  /// `encode` for each text in order, reusing one set of work buffers.
  public func encode(batch texts: [String]) -> [[Int32]] {
    var scratch = EncodingScratch()
    return texts.map { encode($0, scratch: &scratch).ids }
  }

  /// The text's word-piece ids without `[CLS]`/`[SEP]` and without truncation.
  public func wordPieces(_ text: String) -> [Int32] {
    var scratch = EncodingScratch()
    var pieces: [Int32] = []
    appendWordPieces(of: text, to: &pieces, scratch: &scratch)
    return pieces
  }

  /// The token text of each id; an id outside the vocabulary reads as `[UNK]`.
  public func tokens(_ ids: [Int32]) -> [String] {
    let unknown = vocabulary.tokens[Int(unknownId)]
    return ids.map { id in id >= 0 && Int(id) < vocabulary.tokens.count ? vocabulary.tokens[Int(id)] : unknown }
  }

  /// The id of an exact vocabulary token (no normalisation), or nil.
  public func id(ofToken token: String) -> Int32? { vocabulary.id(of: token) }

  private func encode(_ text: String, scratch: inout EncodingScratch) -> (ids: [Int32], untruncatedLength: Int) {
    var ids: [Int32] = [classifierId]
    appendWordPieces(of: text, to: &ids, scratch: &scratch)
    let untruncatedLength = ids.count + 1
    if ids.count > maxSequenceLength - 1 { ids.removeSubrange((maxSequenceLength - 1)...) }
    ids.append(separatorId)
    return (ids, untruncatedLength)
  }

  private func appendWordPieces(of text: String, to ids: inout [Int32], scratch: inout EncodingScratch) {
    scratch.scalars.removeAll(keepingCapacity: true)
    scratch.wordEnds.removeAll(keepingCapacity: true)
    splitter.split(text, scalars: &scratch.scalars, wordEnds: &scratch.wordEnds, scratch: &scratch.cleaned)
    var wordStart = 0
    for wordEnd in scratch.wordEnds {
      appendPieces(ofWord: scratch.scalars[wordStart..<wordEnd], to: &ids, scratch: &scratch)
      wordStart = wordEnd
    }
  }

  /// Greedy longest-match-first over the word's scalars: the longest vocabulary prefix, then the longest `##` piece
  /// from where it ended, and so on; if some position has no match, the whole word is one `[UNK]`.
  private func appendPieces(
    ofWord word: ArraySlice<Unicode.Scalar>, to ids: inout [Int32], scratch: inout EncodingScratch
  ) {
    if word.count > Self.maxScalarsPerWord {
      ids.append(unknownId)
      return
    }
    // UTF-8 of the word, and the byte offset where each scalar starts (plus the end).
    scratch.wordBytes.removeAll(keepingCapacity: true)
    scratch.scalarOffsets.removeAll(keepingCapacity: true)
    for scalar in word {
      scratch.scalarOffsets.append(scratch.wordBytes.count)
      UTF8.encode(scalar) { scratch.wordBytes.append($0) }
    }
    scratch.scalarOffsets.append(scratch.wordBytes.count)
    let piecesBefore = ids.count
    let scalarCount = word.count
    let matched: Bool = scratch.wordBytes.withUnsafeBufferPointer { bytes in
      scratch.scalarOffsets.withUnsafeBufferPointer { offsets in
        var start = 0
        while start < scalarCount {
          let continuation = start > 0
          let longest = continuation ? vocabulary.longestContinuationBytes : vocabulary.longestWordStartBytes
          var end = scalarCount
          var found: Int32? = nil
          while end > start {
            let byteCount = offsets[end] - offsets[start]
            if byteCount <= longest {
              let key = UnsafeBufferPointer(rebasing: bytes[offsets[start]..<offsets[end]])
              if let id = vocabulary.lookup(key, continuation: continuation) {
                found = id
                break
              }
            }
            end -= 1
          }
          guard let id = found else { return false }
          ids.append(id)
          start = end
        }
        return true
      }
    }
    if !matched {
      ids.removeSubrange(piecesBefore...)
      ids.append(unknownId)
    }
  }
}

/// Work buffers reused across the words (and, in a batch, the texts) of one encode call.
private struct EncodingScratch {
  var cleaned: [Unicode.Scalar] = []
  var scalars: [Unicode.Scalar] = []
  var wordEnds: [Int] = []
  var wordBytes: [UInt8] = []
  var scalarOffsets: [Int] = []
}
