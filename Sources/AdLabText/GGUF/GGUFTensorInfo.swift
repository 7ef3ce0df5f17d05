/// One tensor's entry in a GGUF file: where its bytes are and how to read them.
public struct GGUFTensorInfo: Sendable, Equatable {
  public let name: String
  /// Dimensions in ggml order: `dimensions[0]` (ne0) is the contiguous one, the row length.
  public let dimensions: [Int]
  public let type: GGUFTensorType
  /// Byte offset from the start of the data section (a multiple of the file's alignment).
  public let offset: Int
  /// Bytes the tensor spans: elements / block elements × block bytes.
  public let byteCount: Int

  public init(name: String, dimensions: [Int], type: GGUFTensorType, offset: Int, byteCount: Int) {
    self.name = name
    self.dimensions = dimensions
    self.type = type
    self.offset = offset
    self.byteCount = byteCount
  }

  /// The number of elements (the product of the dimensions; 1 for a scalar).
  public var elementCount: Int { dimensions.reduce(1, *) }
}
