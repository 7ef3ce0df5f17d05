/// Why a WordPiece tokenizer could not be built from a vocabulary file.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
  /// The vocabulary file does not exist or could not be read.
  case vocabularyUnreadable(path: String, message: String)
  /// The vocabulary file holds no tokens.
  case vocabularyEmpty(path: String)
  /// A line of the vocabulary file is not a valid token (1-based line number).
  case vocabularyMalformed(path: String, line: Int, reason: String)
  /// The same token appears on two lines, so its id would be ambiguous.
  case duplicateToken(path: String, token: String, firstLine: Int, line: Int)
  /// A special token the encoder needs (`[UNK]`, `[CLS]`, `[SEP]`, `[PAD]`) is not in the vocabulary.
  case missingSpecialToken(path: String, token: String)
  /// The maximum sequence length cannot hold `[CLS]` and `[SEP]`.
  case invalidMaxSequenceLength(Int)

  public var description: String {
    switch self {
    case .vocabularyUnreadable(let path, let message):
      return "cannot read the vocabulary file \(path): \(message) (fetch the model with 'adlab models fetch minilm')"
    case .vocabularyEmpty(let path):
      return "the vocabulary file \(path) is empty; expected one WordPiece token per line (vocab.txt)"
    case .vocabularyMalformed(let path, let line, let reason):
      return "the vocabulary file \(path) is malformed at line \(line): \(reason)"
    case .duplicateToken(let path, let token, let firstLine, let line):
      return
        "the vocabulary file \(path) lists the token '\(token)' twice (lines \(firstLine) and \(line)), so its id is ambiguous"
    case .missingSpecialToken(let path, let token):
      return
        "the vocabulary file \(path) has no '\(token)' token; a BERT WordPiece vocabulary needs [UNK], [CLS], [SEP] and [PAD]"
    case .invalidMaxSequenceLength(let length):
      return "maximum sequence length \(length) is too small: it must be at least 2 to hold [CLS] and [SEP]"
    }
  }
}
