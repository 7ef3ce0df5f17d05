import Foundation

/// A safetensors file (the Hugging Face weight format), memory-mapped: an 8-byte little-endian header length, a
/// JSON header mapping each tensor name to `{dtype, shape, data_offsets}` (offsets relative to the data section
/// after the header) plus an optional `__metadata__` object of strings, then the raw little-endian data.
///
/// Opening checks every entry (known dtype, offsets inside the data section, byte count = elements × dtype size),
/// so a truncated or corrupt file fails here with a ``SafeTensorsError`` rather than later in the model.
public struct SafeTensorsFile: Sendable {
  /// One tensor's header entry.
  public struct Entry: Equatable, Sendable {
    public let dtype: String
    public let shape: [Int]
    /// Byte range inside the data section.
    public let begin: Int
    public let end: Int
    public var elementCount: Int { shape.reduce(1, *) }
  }

  /// Bytes per element of each dtype the format defines (all little-endian).
  static let dtypeSizes: [String: Int] = [
    "F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1,
  ]

  public let path: String
  /// Tensor entries by name.
  public let entries: [String: Entry]
  /// The header's `__metadata__` (string to string), empty when absent.
  public let metadata: [String: String]
  /// The whole file, memory-mapped (pages are read on first touch).
  private let bytes: Data
  private let dataStart: Int

  /// Maps `url` and validates its header.
  /// - Throws: ``SafeTensorsError``.
  public init(url: URL) throws(SafeTensorsError) {
    let data: Data
    do {
      data = try Data(contentsOf: url, options: .alwaysMapped)
    } catch {
      throw .unreadable(path: url.path, reason: error.localizedDescription)
    }
    try self.init(bytes: data, path: url.path)
  }

  /// Parses safetensors bytes already in memory (`path` only names them in errors).
  /// - Throws: ``SafeTensorsError``.
  public init(bytes: Data, path: String) throws(SafeTensorsError) {
    self.path = path
    self.bytes = bytes
    guard bytes.count >= 8 else { throw .truncatedHeaderLength(path: path, fileSize: bytes.count) }
    var declared: UInt64 = 0
    for (shift, byte) in bytes.prefix(8).enumerated() { declared |= UInt64(byte) << (8 * UInt64(shift)) }
    let available = bytes.count - 8
    guard declared <= UInt64(available) else {
      throw .truncatedHeader(path: path, declared: declared, available: available)
    }
    let headerLength = Int(declared)
    dataStart = bytes.startIndex + 8 + headerLength
    let dataSize = bytes.count - 8 - headerLength
    let headerBytes = bytes[(bytes.startIndex + 8)..<dataStart]
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(headerBytes))
    } catch {
      throw .malformedHeader(path: path, reason: "not valid JSON (\(error.localizedDescription))")
    }
    guard let header = object as? [String: Any] else {
      throw .malformedHeader(path: path, reason: "the header is not a JSON object")
    }
    var entries: [String: Entry] = [:]
    var metadata: [String: String] = [:]
    for (name, value) in header {
      if name == "__metadata__" {
        guard let pairs = value as? [String: Any] else {
          throw .malformedHeader(path: path, reason: "__metadata__ is not an object")
        }
        for (key, item) in pairs {
          guard let text = item as? String else {
            throw .malformedHeader(path: path, reason: "__metadata__.\(key) is not a string")
          }
          metadata[key] = text
        }
        continue
      }
      entries[name] = try Self.entry(name: name, value: value, dataSize: dataSize, path: path)
    }
    self.entries = entries
    self.metadata = metadata
  }

  /// Validates one header entry.
  private static func entry(name: String, value: Any, dataSize: Int, path: String) throws(SafeTensorsError) -> Entry {
    guard let fields = value as? [String: Any], let dtype = fields["dtype"] as? String,
      let shapeValues = fields["shape"] as? [Any], let offsetValues = fields["data_offsets"] as? [Any]
    else {
      throw .malformedHeader(
        path: path, reason: "tensor \(name) lacks a string dtype, a shape array or a data_offsets array")
    }
    let shape = try shapeValues.map { (item: Any) throws(SafeTensorsError) -> Int in
      guard let number = item as? NSNumber, let dimension = Int(exactly: number.doubleValue), dimension >= 0 else {
        throw .malformedHeader(
          path: path, reason: "tensor \(name) has a shape entry that is not a non-negative integer")
      }
      return dimension
    }
    let offsets = try offsetValues.map { (item: Any) throws(SafeTensorsError) -> Int in
      guard let number = item as? NSNumber, let offset = Int(exactly: number.doubleValue), offset >= 0 else {
        throw .malformedHeader(
          path: path, reason: "tensor \(name) has a data offset that is not a non-negative integer")
      }
      return offset
    }
    guard offsets.count == 2 else {
      throw .malformedHeader(path: path, reason: "tensor \(name) has \(offsets.count) data_offsets, expected 2")
    }
    guard let size = dtypeSizes[dtype] else { throw .unsupportedDType(tensor: name, dtype: dtype) }
    let (begin, end) = (offsets[0], offsets[1])
    guard begin <= end, end <= dataSize else {
      throw .offsetsOutOfRange(tensor: name, begin: begin, end: end, dataSize: dataSize)
    }
    var elements = 1
    for dimension in shape {
      let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
      guard !overflow else { throw .sizeMismatch(tensor: name, shape: shape, dtype: dtype, bytes: end - begin) }
      elements = product
    }
    let (bytes, overflow) = elements.multipliedReportingOverflow(by: size)
    guard !overflow, bytes == end - begin else {
      throw .sizeMismatch(tensor: name, shape: shape, dtype: dtype, bytes: end - begin)
    }
    return Entry(dtype: dtype, shape: shape, begin: begin, end: end)
  }

  /// The entry of `name`, checked against the dtype and (when given) the shape the caller needs.
  public func entry(_ name: String, dtype: String, shape: [Int]? = nil) throws(SafeTensorsError) -> Entry {
    guard let entry = entries[name] else { throw .missingTensor(name) }
    guard entry.dtype == dtype else { throw .wrongDType(tensor: name, expected: dtype, found: entry.dtype) }
    if let shape, shape != entry.shape { throw .wrongShape(tensor: name, expected: shape, found: entry.shape) }
    return entry
  }

  /// A copy of an F32 tensor's elements in row-major order.
  /// - Throws: ``SafeTensorsError`` when absent or of another dtype or shape.
  public func floats(_ name: String, shape: [Int]? = nil) throws(SafeTensorsError) -> [Float] {
    let entry = try entry(name, dtype: "F32", shape: shape)
    return copy(entry, as: Float.self)
  }

  /// A copy of an I64 tensor's elements in row-major order.
  public func int64s(_ name: String, shape: [Int]? = nil) throws(SafeTensorsError) -> [Int64] {
    let entry = try entry(name, dtype: "I64", shape: shape)
    return copy(entry, as: Int64.self)
  }

  /// Copies bytes into a fresh array: the data section need not be aligned for `T`, so no typed pointer is formed
  /// over the mapping. Assumes a little-endian host, as every platform Swift targets here is.
  private func copy<T>(_ entry: Entry, as type: T.Type) -> [T] where T: Numeric {
    let count = entry.elementCount
    var values = [T](repeating: 0, count: count)
    values.withUnsafeMutableBytes { target in
      bytes.withUnsafeBytes { source in
        let start = dataStart - bytes.startIndex + entry.begin
        target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<(start + entry.end - entry.begin)]))
      }
    }
    return values
  }
}
