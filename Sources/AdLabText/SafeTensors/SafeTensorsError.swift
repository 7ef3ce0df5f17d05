/// Why a safetensors file cannot be read; each message names the file or tensor and what was wrong.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
  /// The file could not be opened or mapped.
  case unreadable(path: String, reason: String)
  /// Fewer than the 8 bytes of the header length.
  case truncatedHeaderLength(path: String, fileSize: Int)
  /// The declared header length runs past the end of the file.
  case truncatedHeader(path: String, declared: UInt64, available: Int)
  /// The header is not a JSON object of tensor entries.
  case malformedHeader(path: String, reason: String)
  /// A tensor's dtype is not one this reader knows.
  case unsupportedDType(tensor: String, dtype: String)
  /// A tensor's byte range lies outside the data section or is reversed.
  case offsetsOutOfRange(tensor: String, begin: Int, end: Int, dataSize: Int)
  /// A tensor's byte range does not hold exactly its shape's elements.
  case sizeMismatch(tensor: String, shape: [Int], dtype: String, bytes: Int)
  /// A tensor the caller needs is absent.
  case missingTensor(String)
  /// A tensor has another dtype than the caller needs.
  case wrongDType(tensor: String, expected: String, found: String)
  /// A tensor has another shape than the caller needs.
  case wrongShape(tensor: String, expected: [Int], found: [Int])

  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "cannot read safetensors file \(path): \(reason)"
    case .truncatedHeaderLength(let path, let size):
      return
        "\(path) is truncated: \(size) bytes, fewer than the 8-byte header length of a safetensors file; fetch the model again"
    case .truncatedHeader(let path, let declared, let available):
      return
        "\(path) is truncated or not safetensors: the header declares \(declared) bytes but only \(available) follow; fetch the model again"
    case .malformedHeader(let path, let reason):
      return "\(path) has a malformed safetensors header: \(reason)"
    case .unsupportedDType(let tensor, let dtype):
      return
        "tensor \(tensor) has dtype \(dtype), which AdLab cannot read (known: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)"
    case .offsetsOutOfRange(let tensor, let begin, let end, let size):
      return
        "tensor \(tensor) claims bytes \(begin)..<\(end) of a \(size)-byte data section; the file is truncated or corrupt"
    case .sizeMismatch(let tensor, let shape, let dtype, let bytes):
      return "tensor \(tensor) is \(dtype) of shape \(shape) but spans \(bytes) bytes; the file is corrupt"
    case .missingTensor(let name):
      return "the safetensors file has no tensor named \(name); is it the right model?"
    case .wrongDType(let tensor, let expected, let found):
      return "tensor \(tensor) is \(found), expected \(expected); is it the right model?"
    case .wrongShape(let tensor, let expected, let found):
      return "tensor \(tensor) has shape \(found), expected \(expected); is it the right model?"
    }
  }
}
