/// Why a GGUF file cannot be read or used; each message names the file, key or tensor and what was wrong.
public enum GGUFError: Error, Equatable, CustomStringConvertible {
  /// The file could not be opened or memory-mapped.
  case unreadable(path: String, reason: String)
  /// The file ends inside a structure (`what` names it) that needs `needed` bytes at `offset`.
  case truncated(path: String, what: String, offset: Int, needed: Int, fileSize: Int)
  /// The first four bytes are not `GGUF`.
  case badMagic(path: String, found: [UInt8])
  /// A format version this reader does not know (it reads version 3, and 2, which has the same layout).
  case unsupportedVersion(path: String, version: UInt32)
  /// A metadata value type code outside the spec's 0…12.
  case unknownValueType(path: String, key: String, code: UInt32)
  /// A tensor type code the reader has no block layout for.
  case unknownTensorType(path: String, tensor: String, code: UInt32)
  /// A count, length or dimension that cannot be right (negative as a signed size, or overflowing).
  case implausibleSize(path: String, what: String, value: UInt64)
  /// Two metadata entries or two tensors share a name.
  case duplicateName(path: String, name: String)
  /// A string that is not valid UTF-8.
  case invalidString(path: String, what: String)
  /// `general.alignment` is zero, not a power of two, or not a uint32.
  case invalidAlignment(path: String, value: String)
  /// A tensor's data lies outside the data section, or its offset is not aligned.
  case tensorOutOfRange(path: String, tensor: String, offset: Int, byteCount: Int, dataSize: Int)
  /// A tensor's row length is not a whole number of its type's blocks.
  case partialBlock(path: String, tensor: String, rowLength: Int, blockSize: Int)
  /// A metadata key a caller needs is absent.
  case missingKey(String)
  /// A metadata key holds another type than the caller needs (`expected`, `found` name the types).
  case wrongValueType(key: String, expected: String, found: String)
  /// A tensor a caller needs is absent.
  case missingTensor(String)
  /// A tensor a caller needs has a type it cannot use.
  case unsupportedTensorType(tensor: String, type: String, supported: [String])
  /// A tensor a caller needs has another shape.
  case wrongShape(tensor: String, expected: [Int], found: [Int])

  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "cannot read GGUF file \(path): \(reason)"
    case .truncated(let path, let what, let offset, let needed, let size):
      return
        "\(path) is truncated: \(what) needs \(needed) bytes at offset \(offset) but the file has \(size) bytes; fetch the model again"
    case .badMagic(let path, let found):
      let hex = found.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
      return "\(path) is not a GGUF file: it starts with bytes \(hex), not 'GGUF'"
    case .unsupportedVersion(let path, let version):
      return
        "\(path) is GGUF version \(version); AdLab reads versions 2 and 3 (re-convert the model with a current llama.cpp)"
    case .unknownValueType(let path, let key, let code):
      return
        "\(path): metadata key \(key) has value type \(code), which the GGUF spec does not define (0…12); the file is corrupt or newer than this reader"
    case .unknownTensorType(let path, let tensor, let code):
      return
        "\(path): tensor \(tensor) has ggml type \(code), which this reader does not know; the file is corrupt or uses a newer quantisation"
    case .implausibleSize(let path, let what, let value):
      return "\(path): \(what) is \(value), which cannot be right; the file is corrupt"
    case .duplicateName(let path, let name):
      return "\(path): the name \(name) appears twice; the file is corrupt"
    case .invalidString(let path, let what):
      return "\(path): \(what) is not valid UTF-8; the file is corrupt"
    case .invalidAlignment(let path, let value):
      return "\(path): general.alignment is \(value); it must be a uint32 power of two"
    case .tensorOutOfRange(let path, let tensor, let offset, let count, let size):
      return
        "\(path): tensor \(tensor) claims \(count) bytes from offset \(offset) of a \(size)-byte data section, or an offset that is not aligned; the file is truncated or corrupt"
    case .partialBlock(let path, let tensor, let rowLength, let blockSize):
      return
        "\(path): tensor \(tensor) has rows of \(rowLength) elements, not a multiple of its type's \(blockSize)-element blocks"
    case .missingKey(let key):
      return "the GGUF file has no metadata key \(key); is it the right model?"
    case .wrongValueType(let key, let expected, let found):
      return "GGUF metadata key \(key) holds \(found), expected \(expected); is it the right model?"
    case .missingTensor(let name):
      return "the GGUF file has no tensor named \(name); is it the right model?"
    case .unsupportedTensorType(let tensor, let type, let supported):
      return "tensor \(tensor) is \(type); AdLab can use only \(supported.joined(separator: ", ")) here"
    case .wrongShape(let tensor, let expected, let found):
      return "tensor \(tensor) has dimensions \(found), expected \(expected); is it the right model?"
    }
  }
}
