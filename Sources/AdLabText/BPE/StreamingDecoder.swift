extension BytePairTokenizer {
  /// Turns ids into text as they are generated: each call returns the new complete characters; the bytes of a
  /// character that is not finished yet wait for the next ids. `finish()` flushes what is left (an unfinished
  /// character as U+FFFD).
  public struct StreamingDecoder: Sendable {
    let tokenizer: BytePairTokenizer
    private var pending: [UInt8] = []

    init(tokenizer: BytePairTokenizer) { self.tokenizer = tokenizer }

    /// The text completed by `id`.
    public mutating func append(_ id: Int32) -> String {
      pending.append(contentsOf: tokenizer.bytes(of: id))
      let complete = Self.completePrefixLength(pending)
      guard complete > 0 else { return "" }
      let text = String(decoding: pending[..<complete], as: UTF8.self)
      pending.removeFirst(complete)
      return text
    }

    /// What is left, decoded (empty when every character was complete).
    public mutating func finish() -> String {
      defer { pending.removeAll() }
      return String(decoding: pending, as: UTF8.self)
    }

    /// The length of `bytes` without a trailing, possibly unfinished UTF-8 sequence (a lead byte followed by fewer
    /// continuation bytes than it announces). Invalid bytes elsewhere are passed on, to become U+FFFD.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
      var index = bytes.count - 1
      var continuations = 0
      // A character has at most 3 continuation bytes; look back at most that far for its lead byte.
      while index >= 0, continuations < 3, bytes[index] & 0xC0 == 0x80 {
        continuations += 1
        index -= 1
      }
      guard index >= 0 else { return bytes.count }
      let lead = bytes[index]
      let expected: Int
      if lead & 0xE0 == 0xC0 {
        expected = 1
      } else if lead & 0xF0 == 0xE0 {
        expected = 2
      } else if lead & 0xF8 == 0xF0 {
        expected = 3
      } else {
        return bytes.count
      }
      return continuations < expected ? index : bytes.count
    }
  }
}
