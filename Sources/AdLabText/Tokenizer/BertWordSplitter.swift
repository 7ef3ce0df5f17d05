import Foundation

/// BERT's basic tokenizer as the Hugging Face `BertNormalizer` + `BertPreTokenizer` pair runs it: text cleaning, CJK
/// ideographs as single-character words, accent stripping (NFD, drop `Mn`) and lower-casing, then a split on
/// whitespace and punctuation. The output is a list of words, each a run of Unicode scalars.
struct BertWordSplitter: Sendable {
  /// Lower-case the text; BERT's `strip_accents=None` follows this flag, so it also strips accents.
  let lowercase: Bool

  /// Appends the scalars of each word of `text` to `scalars` and each word's end index (into `scalars`) to `wordEnds`.
  func split(_ text: String, scalars: inout [Unicode.Scalar], wordEnds: inout [Int], scratch: inout [Unicode.Scalar]) {
    scratch.removeAll(keepingCapacity: true)
    let hasNonASCII = Self.clean(text, into: &scratch)
    var word = WordAccumulator(scalars: scalars, wordEnds: wordEnds)
    scalars = []  // hand the storage to the accumulator without copying
    wordEnds = []
    if lowercase && hasNonASCII {
      // NFD over the whole cleaned text, as the reference does, so canonical reordering sees the same neighbours.
      let decomposed = String(String.UnicodeScalarView(scratch)).decomposedStringWithCanonicalMapping
      for scalar in decomposed.unicodeScalars where Self.referenceCategory(scalar) != .nonspacingMark {
        if scalar.isASCII {
          word.take(Self.asciiLowercased(scalar))
        } else {
          for lowered in scalar.properties.lowercaseMapping.unicodeScalars { word.take(lowered) }
        }
      }
    } else if lowercase {
      for scalar in scratch { word.take(Self.asciiLowercased(scalar)) }
    } else {
      for scalar in scratch { word.take(scalar) }
    }
    word.finishWord()
    scalars = word.scalars
    wordEnds = word.wordEnds
  }

  /// Drops NUL, U+FFFD and control/format/private-use/surrogate scalars, turns whitespace into a space and puts spaces
  /// around CJK ideographs. Returns whether any non-ASCII scalar remains.
  private static func clean(_ text: String, into output: inout [Unicode.Scalar]) -> Bool {
    let space: Unicode.Scalar = " "
    var hasNonASCII = false
    for scalar in text.unicodeScalars {
      let value = scalar.value
      if value < 0x80 {
        if value == 0x09 || value == 0x0A || value == 0x0D || value == 0x20 {
          output.append(space)
        } else if value >= 0x21 && value != 0x7F {
          output.append(scalar)
        }
        continue
      }
      if value == 0xFFFD { continue }
      switch referenceCategory(scalar) {
      case .control, .format, .privateUse, .surrogate: continue
      default: break
      }
      if scalar.properties.isWhitespace {
        output.append(space)
      } else if isCJKIdeograph(value) {
        output.append(space)
        output.append(scalar)
        output.append(space)
        hasNonASCII = true
      } else {
        output.append(scalar)
        hasNonASCII = true
      }
    }
    return hasNonASCII
  }

  /// The reference's category tables (Rust crate `unicode_categories`) are Unicode 8.0: a scalar assigned later is
  /// unassigned there, so it is neither removed as a control, nor split as punctuation, nor stripped as an accent.
  /// (Measured with the real tokenizer: U+2E42 and U+08E3 of 8.0 act by category, U+2E43 and U+08D4 of 9.0 do not.)
  static let referenceUnicodeVersion: Unicode.Version = (major: 8, minor: 0)

  @inline(__always)
  static func referenceCategory(_ scalar: Unicode.Scalar) -> Unicode.GeneralCategory {
    guard let age = scalar.properties.age,
      age.major < referenceUnicodeVersion.major
        || (age.major == referenceUnicodeVersion.major && age.minor <= referenceUnicodeVersion.minor)
    else { return .unassigned }
    return scalar.properties.generalCategory
  }

  /// The CJK Unified Ideograph blocks the reference splits (its table, which starts Extension E at U+2B920).
  @inline(__always)
  static func isCJKIdeograph(_ value: UInt32) -> Bool {
    switch value {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
      0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
      return true
    default:
      return false
    }
  }

  @inline(__always)
  private static func asciiLowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    let value = scalar.value
    return value >= 0x41 && value <= 0x5A ? Unicode.Scalar(UInt8(truncatingIfNeeded: value + 0x20)) : scalar
  }

  /// ASCII punctuation counts even where Unicode calls it a symbol (`$`, `+`, `^`, ...); beyond ASCII, the `P*` categories.
  @inline(__always)
  static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 {
      return (value >= 0x21 && value <= 0x2F) || (value >= 0x3A && value <= 0x40)
        || (value >= 0x5B && value <= 0x60) || (value >= 0x7B && value <= 0x7E)
    }
    switch referenceCategory(scalar) {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation:
      return true
    default:
      return false
    }
  }
}

/// Collects words: whitespace ends a word, a punctuation scalar is a word of its own.
private struct WordAccumulator {
  var scalars: [Unicode.Scalar]
  var wordEnds: [Int]
  private var wordStart: Int

  init(scalars: [Unicode.Scalar], wordEnds: [Int]) {
    self.scalars = scalars
    self.wordEnds = wordEnds
    self.wordStart = scalars.count
  }

  @inline(__always)
  mutating func take(_ scalar: Unicode.Scalar) {
    if scalar == " " || (!scalar.isASCII && scalar.properties.isWhitespace) {
      finishWord()
    } else if BertWordSplitter.isPunctuation(scalar) {
      finishWord()
      scalars.append(scalar)
      finishWord()
    } else {
      scalars.append(scalar)
    }
  }

  mutating func finishWord() {
    if scalars.count > wordStart {
      wordEnds.append(scalars.count)
      wordStart = scalars.count
    }
  }
}
