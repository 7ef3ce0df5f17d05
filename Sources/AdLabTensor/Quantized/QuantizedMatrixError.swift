/// Why bytes cannot be used as a quantised matrix.
public enum QuantizedMatrixError: Error, Equatable, CustomStringConvertible {
  /// The row length is not a positive multiple of the 32-weight block.
  case rowLengthNotBlockMultiple(name: String, columns: Int)
  /// The byte count does not match rows × blocks per row × block size.
  case byteCountMismatch(name: String, expected: Int, actual: Int)

  public var description: String {
    switch self {
    case .rowLengthNotBlockMultiple(let name, let columns):
      return "quantised matrix '\(name)': row length \(columns) is not a positive multiple of 32; the file is not a "
        + "valid ggml quantised tensor"
    case .byteCountMismatch(let name, let expected, let actual):
      return "quantised matrix '\(name)': expected \(expected) bytes for its shape, found \(actual); the file is "
        + "truncated or corrupt, fetch it again"
    }
  }
}
