import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A GGUF file (the llama.cpp model format, versions 2 and 3), memory-mapped and immutable after `init`:
/// the header (`GGUF`, version, tensor count, metadata count), typed metadata, tensor infos, then the tensor data
/// from the first multiple of `general.alignment` (default 32) after the infos.
///
/// Opening checks the whole header (every value type, string, count and tensor range against the file size), so
/// a truncated or corrupt file fails here with a ``GGUFError`` and `bytes(of:)` can hand out ranges unchecked.
public final class GGUFFile: @unchecked Sendable {
  /// The alignment ggml uses when the file does not set `general.alignment`.
  public static let defaultAlignment = 32
  /// Deepest nesting of arrays accepted, so a hostile file cannot exhaust the stack.
  static let maximumArrayDepth = 8
  /// ggml tensors have at most four dimensions.
  static let maximumDimensions = 4

  public let path: String
  public let version: UInt32
  public let alignment: Int
  public let metadata: [String: GGUFValue]
  public let tensors: [String: GGUFTensorInfo]
  /// Tensor names in the order the file lists them (the order llama.cpp wrote them).
  public let tensorOrder: [String]
  /// Where the data section starts in the file.
  public let dataOffset: Int

  private let mapping: UnsafeRawBufferPointer

  /// Maps the file at `url` read-only and validates its header.
  /// - Throws: ``GGUFError``.
  public init(contentsOf url: URL) throws(GGUFError) {
    let path = url.path
    self.path = path
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    let size = Int(status.st_size)
    guard size > 0 else { throw .truncated(path: path, what: "the magic", offset: 0, needed: 4, fileSize: 0) }
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
      throw .unreadable(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
    }
    let mapping = UnsafeRawBufferPointer(start: base, count: size)
    do {
      let header = try Self.parse(mapping, path: path)
      self.mapping = mapping
      (version, alignment, metadata, tensors, tensorOrder, dataOffset) =
        (header.version, header.alignment, header.metadata, header.tensors, header.order, header.dataOffset)
    } catch {
      munmap(base, size)
      throw error
    }
  }

  deinit {
    munmap(UnsafeMutableRawPointer(mutating: mapping.baseAddress), mapping.count)
  }

  /// The bytes of `tensor` (a tensor of this file), valid while the file lives.
  public func bytes(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(
      rebasing: mapping[(dataOffset + tensor.offset)..<(dataOffset + tensor.offset + tensor.byteCount)])
  }

  /// The size of the whole file in bytes.
  public var fileSize: Int { mapping.count }

  // MARK: - Parsing

  private struct Header {
    var version: UInt32
    var alignment: Int
    var metadata: [String: GGUFValue]
    var tensors: [String: GGUFTensorInfo]
    var order: [String]
    var dataOffset: Int
  }

  private static func parse(_ bytes: UnsafeRawBufferPointer, path: String) throws(GGUFError) -> Header {
    var cursor = GGUFCursor(bytes: bytes, path: path)
    try cursor.require(4, for: "the magic")
    let magic = Array(bytes[0..<4])
    guard magic == Array("GGUF".utf8) else { throw .badMagic(path: path, found: magic) }
    _ = try cursor.read(UInt32.self, "the magic")
    let version = try cursor.read(UInt32.self, "the version")
    guard version == 2 || version == 3 else { throw .unsupportedVersion(path: path, version: version) }
    let tensorCount = try cursor.readCount("the tensor count")
    let keyCount = try cursor.readCount("the metadata count")
    // Each tensor info and each key-value pair takes more than 8 bytes: reserve no more than the file can hold.
    let plausibleEntries = cursor.remaining / 8

    var metadata: [String: GGUFValue] = [:]
    metadata.reserveCapacity(min(keyCount, plausibleEntries))
    for index in 0..<keyCount {
      let key = try cursor.readString("metadata key #\(index)")
      let code = try cursor.read(UInt32.self, "the value type of \(key)")
      let value = try readValue(code: code, key: key, depth: 0, cursor: &cursor)
      guard metadata.updateValue(value, forKey: key) == nil else { throw .duplicateName(path: path, name: key) }
    }

    var alignment = defaultAlignment
    if let value = metadata["general.alignment"] {
      guard case .uint32(let raw) = value, raw > 0, raw & (raw - 1) == 0 else {
        throw .invalidAlignment(path: path, value: "\(value)")
      }
      alignment = Int(raw)
    }

    var pending: [(name: String, dimensions: [Int], code: UInt32, offset: UInt64)] = []
    pending.reserveCapacity(min(tensorCount, plausibleEntries))
    for index in 0..<tensorCount {
      let name = try cursor.readString("the name of tensor #\(index)")
      let rank = try cursor.read(UInt32.self, "the dimension count of \(name)")
      guard rank <= maximumDimensions else {
        throw .implausibleSize(path: path, what: "the dimension count of \(name)", value: UInt64(rank))
      }
      var dimensions: [Int] = []
      for axis in 0..<Int(rank) {
        dimensions.append(try cursor.readCount("dimension \(axis) of \(name)"))
      }
      let code = try cursor.read(UInt32.self, "the type of \(name)")
      let offset = try cursor.read(UInt64.self, "the offset of \(name)")
      pending.append((name, dimensions, code, offset))
    }

    let dataOffset = cursor.alignedPosition(alignment)
    let dataSize = max(0, bytes.count - dataOffset)
    var tensors: [String: GGUFTensorInfo] = [:]
    tensors.reserveCapacity(pending.count)
    for entry in pending {
      let info = try tensorInfo(entry, alignment: alignment, dataSize: dataSize, path: path)
      guard tensors.updateValue(info, forKey: entry.name) == nil else {
        throw .duplicateName(path: path, name: entry.name)
      }
    }
    return Header(
      version: version, alignment: alignment, metadata: metadata, tensors: tensors, order: pending.map(\.name),
      dataOffset: dataOffset)
  }

  /// Checks one tensor's type, size and byte range.
  private static func tensorInfo(
    _ entry: (name: String, dimensions: [Int], code: UInt32, offset: UInt64), alignment: Int, dataSize: Int,
    path: String
  ) throws(GGUFError) -> GGUFTensorInfo {
    guard let type = GGUFTensorType(rawValue: entry.code) else {
      throw .unknownTensorType(path: path, tensor: entry.name, code: entry.code)
    }
    var elements = 1
    for dimension in entry.dimensions {
      let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
      guard !overflow else {
        throw .implausibleSize(path: path, what: "the element count of \(entry.name)", value: UInt64.max)
      }
      elements = product
    }
    let layout = type.layout
    let rowLength = entry.dimensions.first ?? 1
    guard rowLength % layout.elements == 0 else {
      throw .partialBlock(path: path, tensor: entry.name, rowLength: rowLength, blockSize: layout.elements)
    }
    let (byteCount, overflow) = (elements / layout.elements).multipliedReportingOverflow(by: layout.bytes)
    guard !overflow else {
      throw .implausibleSize(path: path, what: "the byte count of \(entry.name)", value: UInt64.max)
    }
    guard let offset = Int(exactly: entry.offset), offset % alignment == 0, offset <= dataSize,
      byteCount <= dataSize - offset
    else {
      throw .tensorOutOfRange(
        path: path, tensor: entry.name, offset: Int(clamping: entry.offset), byteCount: byteCount, dataSize: dataSize)
    }
    return GGUFTensorInfo(
      name: entry.name, dimensions: entry.dimensions, type: type, offset: offset, byteCount: byteCount)
  }

  /// Reads one value of type `code` (an array reads its element type and count, then its elements).
  private static func readValue(code: UInt32, key: String, depth: Int, cursor: inout GGUFCursor) throws(GGUFError)
    -> GGUFValue
  {
    switch code {
    case 0: return .uint8(try cursor.read(UInt8.self, "the value of \(key)"))
    case 1: return .int8(try cursor.read(Int8.self, "the value of \(key)"))
    case 2: return .uint16(try cursor.read(UInt16.self, "the value of \(key)"))
    case 3: return .int16(try cursor.read(Int16.self, "the value of \(key)"))
    case 4: return .uint32(try cursor.read(UInt32.self, "the value of \(key)"))
    case 5: return .int32(try cursor.read(Int32.self, "the value of \(key)"))
    case 6: return .float32(Float(bitPattern: try cursor.read(UInt32.self, "the value of \(key)")))
    case 7:
      let byte = try cursor.read(UInt8.self, "the value of \(key)")
      guard byte <= 1 else { throw .implausibleSize(path: cursor.path, what: "the bool \(key)", value: UInt64(byte)) }
      return .bool(byte == 1)
    case 8: return .string(try cursor.readString("the value of \(key)"))
    case 9:
      guard depth < maximumArrayDepth else {
        throw .implausibleSize(path: cursor.path, what: "the array nesting of \(key)", value: UInt64(depth + 1))
      }
      let elementCode = try cursor.read(UInt32.self, "the element type of \(key)")
      guard elementCode <= 12 else { throw .unknownValueType(path: cursor.path, key: key, code: elementCode) }
      let count = try cursor.readCount("the element count of \(key)")
      var items: [GGUFValue] = []
      items.reserveCapacity(min(count, cursor.remaining))  // every element takes at least one byte
      for _ in 0..<count {
        items.append(try readValue(code: elementCode, key: key, depth: depth + 1, cursor: &cursor))
      }
      return .array(items)
    case 10: return .uint64(try cursor.read(UInt64.self, "the value of \(key)"))
    case 11: return .int64(try cursor.read(Int64.self, "the value of \(key)"))
    case 12: return .float64(Double(bitPattern: try cursor.read(UInt64.self, "the value of \(key)")))
    default: throw .unknownValueType(path: cursor.path, key: key, code: code)
    }
  }
}
