/// The pre-tokenizer GGUF files name `smollm` (SmolLM / SmolLM2, StarCoder lineage): the text is first cut around
/// every numeric character, each digit standing alone (Hugging Face's `Digits(individual_digits: true)`), then
/// each remaining stretch is split the way GPT-2's byte-level pattern does,
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// tried in that order at each position. Written as a scanner over Unicode scalars rather than with a regex engine:
/// the pattern has one look-ahead, which the whitespace rule below resolves by backing off one scalar.
enum SmolLMPreTokenizer {
  /// The character classes the pattern distinguishes.
  enum Class: Equatable {
    case letter, number, space, other
  }

  @inline(__always)
  static func classify(_ scalar: Unicode.Scalar) -> Class {
    let properties = scalar.properties
    if properties.isWhitespace { return .space }
    switch properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
    case .decimalNumber, .letterNumber, .otherNumber: return .number
    default: return .other
    }
  }

  /// The pieces of `text` in order; their concatenation is `text`.
  static func split(_ text: Substring) -> [Substring] {
    let scalars = text.unicodeScalars
    var indices: [String.Index] = []
    var classes: [Class] = []
    indices.reserveCapacity(scalars.count + 1)
    classes.reserveCapacity(scalars.count)
    for index in scalars.indices {
      indices.append(index)
      classes.append(classify(scalars[index]))
    }
    indices.append(scalars.endIndex)
    var scalarValues: [UInt32] = []
    scalarValues.reserveCapacity(classes.count)
    for scalar in scalars { scalarValues.append(scalar.value) }

    var pieces: [Substring] = []
    var start = 0
    let count = classes.count
    // Each digit is its own piece, and the pattern below runs on the stretches between digits only.
    while start < count {
      if classes[start] == .number {
        pieces.append(text[indices[start]..<indices[start + 1]])
        start += 1
        continue
      }
      var end = start
      while end < count, classes[end] != .number { end += 1 }
      var position = start
      while position < end {
        let length = matchLength(at: position, end: end, classes: classes, scalars: scalarValues)
        pieces.append(text[indices[position]..<indices[position + length]])
        position += length
      }
      start = end
    }
    return pieces
  }

  /// The length, in scalars, of the pattern's match at `position` within a stretch ending at `end` (at least 1).
  private static func matchLength(at position: Int, end: Int, classes: [Class], scalars: [UInt32]) -> Int {
    let apostrophe: UInt32 = 0x27, space: UInt32 = 0x20
    // 's 't 're 've 'm 'll 'd (lower case only, as in GPT-2)
    if scalars[position] == apostrophe, position + 1 < end {
      let next = scalars[position + 1]
      if next == 0x73 || next == 0x74 || next == 0x6D || next == 0x64 { return 2 }  // s t m d
      if position + 2 < end {
        let pair = (next, scalars[position + 2])
        if pair == (0x72, 0x65) || pair == (0x76, 0x65) || pair == (0x6C, 0x6C) { return 3 }  // re ve ll
      }
    }
    // An optional single space, then a run of letters, of numbers, or of other non-space characters.
    let leadingSpace = scalars[position] == space && position + 1 < end && classes[position + 1] != .space
    let runStart = leadingSpace ? position + 1 : position
    let runClass = classes[runStart]
    if runClass != .space {
      var runEnd = runStart + 1
      while runEnd < end, classes[runEnd] == runClass { runEnd += 1 }
      return runEnd - position
    }
    // Whitespace: the whole run when it ends the stretch or is one scalar long; otherwise all but its last
    // scalar, which then leads the next piece (`\s+(?!\S)` backing off one).
    var runEnd = position + 1
    while runEnd < end, classes[runEnd] == .space { runEnd += 1 }
    if runEnd == end || runEnd - position == 1 { return runEnd - position }
    return runEnd - position - 1
  }
}
