/// Why a byte-level BPE tokenizer could not be built from a GGUF file's `tokenizer.ggml.*` metadata.
public enum BytePairTokenizerError: Error, Equatable, CustomStringConvertible {
  /// A metadata key is missing or of the wrong type.
  case metadata(GGUFError)
  /// The file's tokenizer is not byte-level BPE (`tokenizer.ggml.model` other than `gpt2`).
  case unsupportedModel(String)
  /// The file names a pre-tokenizer this tokenizer does not implement.
  case unsupportedPreTokenizer(String)
  /// A merge rule is not two tokens separated by one space, or names tokens not in the vocabulary.
  case malformedMerge(index: Int, rule: String)
  /// The token list and the token type list differ in length.
  case tokenTypeCount(tokens: Int, types: Int)

  public var description: String {
    switch self {
    case .metadata(let error):
      return error.description
    case .unsupportedModel(let model):
      return "the GGUF tokenizer model is '\(model)'; AdLab reads byte-level BPE ('gpt2') vocabularies only"
    case .unsupportedPreTokenizer(let name):
      return "the GGUF file names pre-tokenizer '\(name)'; AdLab implements 'smollm' only"
    case .malformedMerge(let index, let rule):
      return "merge rule #\(index) '\(rule)' is not two vocabulary tokens joined by one space"
    case .tokenTypeCount(let tokens, let types):
      return "the GGUF file lists \(tokens) tokens but \(types) token types"
    }
  }
}
