/// Why a LLaMA-architecture model cannot be loaded or run; each message says what to do.
public enum LlamaError: Error, Equatable, CustomStringConvertible {
  /// Reading the GGUF file's metadata or tensors failed.
  case gguf(GGUFError)
  /// The file's `general.architecture` is not `llama`.
  case unsupportedArchitecture(String)
  /// The hyper-parameters in the metadata contradict each other or are out of range.
  case invalidHyperParameters(String)
  /// A weight tensor does not fit the hyper-parameters.
  case invalidTensor(name: String, reason: String)
  /// A token id outside the vocabulary.
  case tokenOutOfRange(token: Int32, vocabularySize: Int)
  /// A sequence would grow past its cache's capacity.
  case contextFull(capacity: Int, needed: Int)
  /// A request with no tokens, or whose token and cache counts differ.
  case invalidRequest(String)

  public var description: String {
    switch self {
    case .gguf(let error):
      return error.description
    case .unsupportedArchitecture(let name):
      return "the model's architecture is '\(name)'; AdLab's decoder runs 'llama' models (SmolLM2 and its kin)"
    case .invalidHyperParameters(let reason):
      return "the model's hyper-parameters are inconsistent: \(reason); the file is corrupt or not a LLaMA model"
    case .invalidTensor(let name, let reason):
      return "tensor \(name): \(reason); the file is corrupt or was converted for another architecture"
    case .tokenOutOfRange(let token, let size):
      return "token id \(token) is outside the vocabulary (0..<\(size)); tokenize with this model's tokenizer"
    case .contextFull(let capacity, let needed):
      return "the sequence needs \(needed) positions but its cache holds \(capacity); make the cache larger "
        + "(at most the model's context length) or generate fewer tokens"
    case .invalidRequest(let reason):
      return "invalid forward request: \(reason)"
    }
  }
}
