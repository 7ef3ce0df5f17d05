import Foundation

/// A WordPiece vocabulary (`vocab.txt`: one token per line, id = 0-based line number) with two open-addressing hash
/// tables built once: one for pieces that start a word and one for `##` continuation pieces keyed without the prefix.
///
/// Lookups take a UTF-8 byte range of the word being split, so the greedy longest-match loop allocates nothing.
struct WordPieceVocabulary: Sendable {
  /// Token text by id.
  let tokens: [String]
  /// Every token's UTF-8 bytes, concatenated; token `id` occupies `byteStarts[id] ..< byteStarts[id + 1]`.
  private let bytes: [UInt8]
  private let byteStarts: [Int]
  /// Slots hold a token id or -1; `wordStartSlots` is keyed by the whole token, `continuationSlots` by the bytes
  /// after `##` of the tokens that carry the prefix.
  private let wordStartSlots: [Int32]
  private let continuationSlots: [Int32]
  private let slotMask: Int
  /// The longest key (in UTF-8 bytes) in each table: a candidate piece longer than that cannot match.
  let longestWordStartBytes: Int
  let longestContinuationBytes: Int

  static let continuationPrefix: [UInt8] = Array("##".utf8)

  /// Reads and checks `vocab.txt`: LF-separated, UTF-8, no empty or whitespace-carrying lines, no duplicates.
  init(contentsOf file: URL) throws(TokenizerError) {
    let path = file.path
    let data: Data
    do {
      data = try Data(contentsOf: file)
    } catch {
      let reason = FileManager.default.fileExists(atPath: path) ? error.localizedDescription : "no such file"
      throw .vocabularyUnreadable(path: path, message: reason)
    }
    var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }  // the newline that ends the last token
    if lines.isEmpty || (lines.count == 1 && lines[0].isEmpty) { throw .vocabularyEmpty(path: path) }
    guard lines.count < Int(Int32.max) else {
      throw .vocabularyMalformed(path: path, line: Int(Int32.max), reason: "more tokens than 32-bit ids can number")
    }

    var tokens: [String] = []
    tokens.reserveCapacity(lines.count)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(data.count)
    var byteStarts: [Int] = [0]
    byteStarts.reserveCapacity(lines.count + 1)
    var firstLineOfToken: [String: Int] = [:]
    firstLineOfToken.reserveCapacity(lines.count)
    for (index, line) in lines.enumerated() {
      let lineNumber = index + 1
      if line.isEmpty {
        throw .vocabularyMalformed(path: path, line: lineNumber, reason: "the line is empty")
      }
      if line.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
        throw .vocabularyMalformed(
          path: path, line: lineNumber,
          reason: "the token contains a space, tab or carriage return (expected one token per LF-terminated line)")
      }
      guard let token = String(validating: line, as: UTF8.self) else {
        throw .vocabularyMalformed(path: path, line: lineNumber, reason: "the line is not valid UTF-8")
      }
      if let first = firstLineOfToken.updateValue(lineNumber, forKey: token) {
        throw .duplicateToken(path: path, token: token, firstLine: first, line: lineNumber)
      }
      tokens.append(token)
      bytes.append(contentsOf: line)
      byteStarts.append(bytes.count)
    }

    // Load factor <= 1/2 keeps linear probes short.
    var capacity = 16
    while capacity < tokens.count * 2 { capacity <<= 1 }
    var wordStartSlots = [Int32](repeating: -1, count: capacity)
    var continuationSlots = [Int32](repeating: -1, count: capacity)
    let mask = capacity - 1
    var longestWordStart = 0
    var longestContinuation = 0
    let prefixLength = Self.continuationPrefix.count
    bytes.withUnsafeBufferPointer { all in
      for id in tokens.indices {
        let start = byteStarts[id], end = byteStarts[id + 1]
        Self.insert(id: id, key: UnsafeBufferPointer(rebasing: all[start..<end]), into: &wordStartSlots, mask: mask)
        longestWordStart = max(longestWordStart, end - start)
        let isContinuation =
          end - start > prefixLength
          && all[start] == Self.continuationPrefix[0] && all[start + 1] == Self.continuationPrefix[1]
        if isContinuation {
          let key = UnsafeBufferPointer(rebasing: all[(start + prefixLength)..<end])
          Self.insert(id: id, key: key, into: &continuationSlots, mask: mask)
          longestContinuation = max(longestContinuation, key.count)
        }
      }
    }
    self.tokens = tokens
    self.bytes = bytes
    self.byteStarts = byteStarts
    self.wordStartSlots = wordStartSlots
    self.continuationSlots = continuationSlots
    self.slotMask = mask
    self.longestWordStartBytes = longestWordStart
    self.longestContinuationBytes = longestContinuation
  }

  /// The id of a whole token, e.g. `[CLS]`.
  func id(of token: String) -> Int32? {
    var utf8 = Array(token.utf8)
    return utf8.withUnsafeMutableBufferPointer { lookup(UnsafeBufferPointer($0), continuation: false) }
  }

  /// The id of the piece whose UTF-8 bytes are `key`; with `continuation` the piece is looked up as `##` + key.
  @inline(__always)
  func lookup(_ key: UnsafeBufferPointer<UInt8>, continuation: Bool) -> Int32? {
    guard let keyBase = key.baseAddress, !key.isEmpty else { return nil }
    let skip = continuation ? Self.continuationPrefix.count : 0
    return (continuation ? continuationSlots : wordStartSlots).withUnsafeBufferPointer { slots in
      bytes.withUnsafeBufferPointer { all in
        guard let allBase = all.baseAddress else { return nil }
        var slot = Self.hash(key) & slotMask
        while true {
          let id = slots[slot]
          if id < 0 { return nil }
          let start = byteStarts[Int(id)] + skip, end = byteStarts[Int(id) + 1]
          if end - start == key.count && memcmp(allBase + start, keyBase, key.count) == 0 {
            return id
          }
          slot = (slot + 1) & slotMask
        }
      }
    }
  }

  private static func insert(id: Int, key: UnsafeBufferPointer<UInt8>, into slots: inout [Int32], mask: Int) {
    var slot = hash(key) & mask
    while slots[slot] >= 0 { slot = (slot + 1) & mask }
    slots[slot] = Int32(truncatingIfNeeded: id)  // id < Int32.max, checked when the file was read
  }

  /// FNV-1a: cheap, and good enough on short keys for a table at half load.
  @inline(__always)
  private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in key {
      h ^= UInt64(byte)
      h &*= 0x0000_0100_0000_01b3
    }
    return Int(truncatingIfNeeded: h ^ (h >> 32))
  }
}
