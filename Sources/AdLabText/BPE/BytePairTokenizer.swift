/// A byte-level BPE tokenizer (GPT-2 style, as SmolLM2 uses) built from a GGUF file's `tokenizer.ggml.*` metadata.
///
/// Encoding: special (control) tokens such as `<|im_start|>` are cut out of the text first when asked to; every
/// other stretch is pre-tokenized (``SmolLMPreTokenizer``), each piece's UTF-8 bytes are spelled in the byte-level
/// alphabet, and adjacent symbols are merged by rank (the order of `tokenizer.ggml.merges`, lowest first) until no
/// ranked pair is left. No BOS is prepended (SmolLM2's `add_bos_token` is false). Decoding maps tokens back to
/// bytes, joining them before UTF-8 decoding, since a character may be split across tokens.
public struct BytePairTokenizer: Sendable {
  /// GGUF token types (llama.cpp's numbering) of markers rather than text: control and user-defined tokens.
  static let controlType: Int32 = 3
  static let userDefinedType: Int32 = 4

  /// The token strings, indexed by id (byte-level alphabet spelling for normal tokens).
  public let tokens: [String]
  /// Ids of the tokens recognised as wholes in prompts (control and user-defined tokens), by text.
  public let specialTokens: [String: Int32]
  /// The end-of-turn / end-of-sequence id (`tokenizer.ggml.eos_token_id`; `<|im_end|>` for SmolLM2).
  public let endOfSequence: Int32
  private let idsByToken: [String: Int32]
  /// Merge rank and merged id of each ranked pair, keyed by the pair's two ids.
  private let merges: [UInt64: (rank: Int32, merged: Int32)]
  /// The id of the one-byte token of each byte.
  /// The token of each byte, `noToken` where the vocabulary has none.
  private let byteTokens: [Int32]
  private static let noToken: Int32 = -1
  /// The bytes each id decodes to (a special token decodes to its own text).
  private let tokenBytes: [[UInt8]]
  /// Special tokens, longest first, so a longer one wins where two start at the same place.
  private let specialsByLength: [(text: [UInt8], id: Int32)]

  /// Reads the vocabulary, token types, merges and end-of-sequence id of `gguf`.
  public init(gguf: GGUFFile) throws(BytePairTokenizerError) {
    func read<T>(_ body: () throws(GGUFError) -> T) throws(BytePairTokenizerError) -> T {
      do { return try body() } catch { throw .metadata(error) }
    }
    let model = try read { () throws(GGUFError) in try gguf.string("tokenizer.ggml.model") }
    guard model == "gpt2" else { throw .unsupportedModel(model) }
    let pre = try read { () throws(GGUFError) in try gguf.string("tokenizer.ggml.pre") }
    guard pre == "smollm" else { throw .unsupportedPreTokenizer(pre) }
    let tokens = try read { () throws(GGUFError) in try gguf.stringArray("tokenizer.ggml.tokens") }
    let types = try read { () throws(GGUFError) in try gguf.int32Array("tokenizer.ggml.token_type") }
    let mergeRules = try read { () throws(GGUFError) in try gguf.stringArray("tokenizer.ggml.merges") }
    let eos = try read { () throws(GGUFError) in try gguf.integer("tokenizer.ggml.eos_token_id") }
    try self.init(tokens: tokens, types: types, merges: mergeRules, endOfSequence: eos)
  }

  /// Builds the tokenizer from its parts (token strings by id, GGUF token types, merge rules `"a b"` by rank).
  public init(tokens: [String], types: [Int32], merges mergeRules: [String], endOfSequence: Int)
    throws(BytePairTokenizerError)
  {
    guard tokens.count == types.count else { throw .tokenTypeCount(tokens: tokens.count, types: types.count) }
    guard let eos = Int32(exactly: endOfSequence), tokens.indices.contains(endOfSequence) else {
      throw .metadata(
        .wrongValueType(
          key: "tokenizer.ggml.eos_token_id", expected: "an id below \(tokens.count)", found: "\(endOfSequence)"))
    }
    self.tokens = tokens
    self.endOfSequence = eos
    var ids: [String: Int32] = [:]
    ids.reserveCapacity(tokens.count)
    var specials: [String: Int32] = [:]
    var bytesById: [[UInt8]] = []
    bytesById.reserveCapacity(tokens.count)
    for (index, token) in tokens.enumerated() {
      let id = Int32(truncatingIfNeeded: index)  // tokens.count fits Int32: ids come from GGUF int32 arrays
      if ids[token] == nil { ids[token] = id }
      if types[index] == Self.controlType || types[index] == Self.userDefinedType {
        specials[token] = id
        bytesById.append(Array(token.utf8))
      } else {
        // A normal token outside the alphabet cannot come from byte-level BPE; decode it as its own text.
        bytesById.append(ByteLevelAlphabet.decode(token) ?? Array(token.utf8))
      }
    }
    var byteIds: [Int32] = []
    for byte in 0...255 {
      // SmolLM2's vocabulary has no token for 21 bytes (rare control bytes and bytes that never occur in UTF-8,
      // or only in code points beyond U+3FFFF); like Hugging Face's BPE without an unknown token, they are dropped.
      byteIds.append(ids[String(ByteLevelAlphabet.scalarForByte[byte])] ?? Self.noToken)
    }
    var table: [UInt64: (rank: Int32, merged: Int32)] = [:]
    table.reserveCapacity(mergeRules.count)
    for (rank, rule) in mergeRules.enumerated() {
      let parts = rule.split(separator: " ", omittingEmptySubsequences: false)
      guard parts.count == 2, let left = ids[String(parts[0])], let right = ids[String(parts[1])],
        let merged = ids[String(parts[0]) + String(parts[1])]
      else { throw .malformedMerge(index: rank, rule: rule) }
      let key = Self.pairKey(left, right)
      if table[key] == nil { table[key] = (Int32(truncatingIfNeeded: rank), merged) }
    }
    idsByToken = ids
    merges = table
    byteTokens = byteIds
    tokenBytes = bytesById
    specialTokens = specials
    specialsByLength = specials.map { (text: Array($0.key.utf8), id: $0.value) }.sorted {
      $0.text.count != $1.text.count ? $0.text.count > $1.text.count : $0.id < $1.id
    }
  }

  /// The size of the vocabulary.
  public var vocabularySize: Int { tokens.count }

  /// The id of a token given in the vocabulary's spelling, if present.
  public func id(of token: String) -> Int32? { idsByToken[token] }

  @inline(__always)
  private static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
  }

  // MARK: - Encoding

  /// The ids of `text`. With `parseSpecialTokens`, the text of a special token (`<|im_start|>`) becomes its id;
  /// without, it is ordinary text.
  public func encode(_ text: String, parseSpecialTokens: Bool) -> [Int32] {
    var ids: [Int32] = []
    ids.reserveCapacity(text.utf8.count / 3 + 4)
    guard parseSpecialTokens, !specialsByLength.isEmpty else {
      encodeOrdinary(text[...], into: &ids)
      return ids
    }
    let utf8 = Array(text.utf8)
    var segmentStart = 0
    var position = 0
    // Special tokens are ASCII markers starting with '<'; a scan for that byte keeps this linear in practice.
    while position < utf8.count {
      if utf8[position] == UInt8(ascii: "<"), let special = specialMatch(utf8, at: position) {
        if segmentStart < position {
          encodeOrdinary(Self.substring(text, utf8Range: segmentStart..<position), into: &ids)
        }
        ids.append(special.id)
        position += special.length
        segmentStart = position
      } else {
        position += 1
      }
    }
    if segmentStart < utf8.count {
      encodeOrdinary(Self.substring(text, utf8Range: segmentStart..<utf8.count), into: &ids)
    }
    return ids
  }

  private func specialMatch(_ utf8: [UInt8], at position: Int) -> (id: Int32, length: Int)? {
    for special in specialsByLength where special.text.count <= utf8.count - position {
      if utf8[position..<(position + special.text.count)].elementsEqual(special.text) {
        return (special.id, special.text.count)
      }
    }
    return nil
  }

  /// The part of `text` between two UTF-8 offsets that fall on scalar boundaries (special tokens are ASCII).
  private static func substring(_ text: String, utf8Range: Range<Int>) -> Substring {
    let start = text.utf8.index(text.utf8.startIndex, offsetBy: utf8Range.lowerBound)
    let end = text.utf8.index(start, offsetBy: utf8Range.count)
    return text[start..<end]
  }

  /// Pre-tokenizes and merges text that holds no special token.
  private func encodeOrdinary(_ text: Substring, into ids: inout [Int32]) {
    var symbols: [Int32] = []
    for piece in SmolLMPreTokenizer.split(text) {
      symbols.removeAll(keepingCapacity: true)
      for byte in piece.utf8 where byteTokens[Int(byte)] != Self.noToken { symbols.append(byteTokens[Int(byte)]) }
      merge(&symbols)
      ids.append(contentsOf: symbols)
    }
  }

  /// Applies the lowest-ranked merge among adjacent pairs until none applies. Pieces are words (a few symbols),
  /// so the quadratic scan is cheaper than a heap.
  private func merge(_ symbols: inout [Int32]) {
    while symbols.count > 1 {
      var bestRank = Int32.max
      var bestIndex = -1
      var bestMerged: Int32 = 0
      for index in 0..<(symbols.count - 1) {
        if let rule = merges[Self.pairKey(symbols[index], symbols[index + 1])], rule.rank < bestRank {
          bestRank = rule.rank
          bestIndex = index
          bestMerged = rule.merged
        }
      }
      guard bestIndex >= 0 else { return }
      symbols[bestIndex] = bestMerged
      symbols.remove(at: bestIndex + 1)
    }
  }

  // MARK: - Decoding

  /// The bytes of one id (empty for an id outside the vocabulary).
  public func bytes(of id: Int32) -> [UInt8] {
    tokenBytes.indices.contains(Int(id)) ? tokenBytes[Int(id)] : []
  }

  /// The text of `ids`, special tokens included as their text. Bytes that do not form valid UTF-8 (a sequence
  /// cut mid-character) become U+FFFD, as in Hugging Face's decoder.
  public func decode(_ ids: [Int32]) -> String {
    var joined: [UInt8] = []
    for id in ids { joined.append(contentsOf: bytes(of: id)) }
    return String(decoding: joined, as: UTF8.self)
  }

  /// A decoder fed one id at a time that returns only whole characters, holding back the bytes of a character
  /// whose remaining bytes are in the next tokens (so streamed text never shows a broken character).
  public func streamingDecoder() -> StreamingDecoder { StreamingDecoder(tokenizer: self) }
}
