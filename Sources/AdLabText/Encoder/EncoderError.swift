/// Why the MiniLM encoder cannot be loaded.
public enum EncoderError: Error, CustomStringConvertible {
  /// A model file is absent (typically: the model was never fetched).
  case missingFile(path: String)
  /// A config file is not the JSON the encoder expects.
  case badConfig(path: String, reason: String)
  /// The weights file is unreadable or does not match the config.
  case weights(SafeTensorsError)

  public var description: String {
    switch self {
    case .missingFile(let path):
      return "model file \(path) is missing; run `adlab models fetch minilm` first"
    case .badConfig(let path, let reason):
      return "model config \(path) cannot be used: \(reason)"
    case .weights(let error):
      return error.description
    }
  }
}

/// Why a batch of token ids cannot be encoded.
public enum EncoderInputError: Error, Equatable, CustomStringConvertible {
  /// A text has no ids at all (a tokenizer always gives at least `[CLS] [SEP]`).
  case empty(index: Int)
  /// A text has more ids than the model's maximum sequence length.
  case tooLong(index: Int, length: Int, maximum: Int)
  /// An id lies outside the vocabulary.
  case unknownId(index: Int, id: Int32, vocabularySize: Int)

  public var description: String {
    switch self {
    case .empty(let index):
      return "text \(index) has no token ids; encode it with the tokenizer, which adds [CLS] and [SEP]"
    case .tooLong(let index, let length, let maximum):
      return "text \(index) has \(length) token ids, more than the model's maximum of \(maximum); truncate it"
    case .unknownId(let index, let id, let size):
      return "text \(index) has token id \(id), outside the vocabulary 0..<\(size)"
    }
  }
}
