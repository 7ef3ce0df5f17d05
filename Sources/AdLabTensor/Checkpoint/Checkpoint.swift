/// Named tensors saved to a little-endian binary file with a CRC-32 (format version 1).
///
/// ```
/// offset  size  field
/// 0       8     magic "ADLBCKPT" (ASCII)
/// 8       4     format version (UInt32) = 1
/// 12      4     entry count (UInt32)
///               entries, names in ascending UTF-8 byte order:
///         4       name length in bytes (UInt32), then the UTF-8 name
///         1       dtype (UInt8): 1 = float32, 2 = float64
///         4       rank (UInt32), then rank × dimension (UInt64)
///         n·w     elements in row-major order, IEEE 754, little-endian (w = 4 or 8)
/// end−4   4     CRC-32 (zlib's; see CRC32) of every preceding byte (UInt32)
/// ```
/// All integers are little-endian. The same tensors always give the same bytes. `init(decoding:)` checks the
/// magic, then the checksum, then the structure, and throws `CheckpointError` on the first problem.
///
/// ```swift
/// var checkpoint = Checkpoint()
/// checkpoint.set("layer1.weight", w1)
/// try checkpoint.write(toFile: "model.ckpt")
/// let w = try Checkpoint(contentsOfFile: "model.ckpt").tensor("layer1.weight", as: Float.self, shape: [64, 256])
/// ```
public struct Checkpoint: Sendable, Equatable {
  /// One stored tensor: its type, shape and little-endian element bytes.
  public struct Entry: Sendable, Equatable {
    public let dtype: DType
    public let shape: [Int]
    let payload: [UInt8]
  }

  /// The format version this code writes and reads.
  public static let formatVersion: UInt32 = 1
  static let magic: [UInt8] = Array("ADLBCKPT".utf8)

  /// The stored tensors by name.
  public internal(set) var entries: [String: Entry] = [:]

  public init() {}

  /// The stored names, ascending.
  public var names: [String] { entries.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }

  /// Stores `tensor` under `name`, replacing any previous one.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func set<Scalar: TensorScalar>(_ name: String, _ tensor: Tensor<Scalar>) {
    let width = MemoryLayout<Scalar>.size
    var payload = [UInt8]()
    payload.reserveCapacity(tensor.count * width)
    tensor.withUnsafeBufferPointer { buffer in
      for value in buffer {
        let bits = value.bitPattern64
        for byte in 0..<width { payload.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(byte)))) }
      }
    }
    entries[name] = Entry(dtype: Scalar.dtype, shape: tensor.shape, payload: payload)
  }

  /// The tensor stored under `name`.
  ///
  /// - Parameter shape: if given, the shape the tensor must have.
  /// - Throws: `missingTensor`, `dtypeMismatch` or `shapeMismatch`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func tensor<Scalar: TensorScalar>(
    _ name: String, as type: Scalar.Type = Scalar.self, shape expected: [Int]? = nil
  ) throws(CheckpointError) -> Tensor<Scalar> {
    guard let entry = entries[name] else { throw .missingTensor(name: name, available: names) }
    guard entry.dtype == Scalar.dtype else {
      throw .dtypeMismatch(name: name, stored: entry.dtype, requested: Scalar.dtype)
    }
    if let expected, expected != entry.shape {
      throw .shapeMismatch(name: name, stored: entry.shape, expected: expected)
    }
    let width = MemoryLayout<Scalar>.size
    var result = Tensor<Scalar>(shape: entry.shape)
    result.withUnsafeMutableBufferPointer { buffer in
      entry.payload.withUnsafeBufferPointer { bytes in
        for i in buffer.indices {
          var bits: UInt64 = 0
          for byte in 0..<width { bits |= UInt64(bytes[i * width + byte]) << (8 * UInt64(byte)) }
          buffer[i] = Scalar(bitPattern64: bits)
        }
      }
    }
    return result
  }

  // MARK: - Encoding

  /// The checkpoint's bytes (see the type's documentation).
  public func encoded() -> [UInt8] {
    var bytes = Checkpoint.magic
    Checkpoint.append(Checkpoint.formatVersion, to: &bytes)
    Checkpoint.append(UInt32(entries.count), to: &bytes)
    for name in names {
      guard let entry = entries[name] else { continue }
      let utf8 = Array(name.utf8)
      Checkpoint.append(UInt32(utf8.count), to: &bytes)
      bytes += utf8
      bytes.append(entry.dtype.rawValue)
      Checkpoint.append(UInt32(entry.shape.count), to: &bytes)
      for dimension in entry.shape { Checkpoint.append(UInt64(dimension), to: &bytes) }
      bytes += entry.payload
    }
    Checkpoint.append(CRC32.checksum(bytes), to: &bytes)
    return bytes
  }

  /// Reads a checkpoint from its bytes.
  ///
  /// - Throws: `badMagic`, `truncated`, `checksumMismatch`, `unsupportedVersion` or `malformed`.
  public init(decoding bytes: [UInt8]) throws(CheckpointError) {
    var reader = CheckpointReader(bytes: bytes)
    guard bytes.count >= 20 else { throw .truncated(offset: 0, needed: 20, available: bytes.count) }
    guard Array(bytes[0..<8]) == Checkpoint.magic else { throw .badMagic }
    let body = bytes.count - 4
    let stored =
      UInt32(bytes[body]) | UInt32(bytes[body + 1]) << 8 | UInt32(bytes[body + 2]) << 16
      | UInt32(bytes[body + 3]) << 24
    let computed = bytes.withUnsafeBufferPointer { CRC32.checksum(UnsafeBufferPointer(rebasing: $0[0..<body])) }
    guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }
    reader.limit = body
    reader.offset = 8
    let version = try reader.read(UInt32.self)
    guard version == Checkpoint.formatVersion else { throw .unsupportedVersion(version) }
    let count = try reader.read(UInt32.self)
    for _ in 0..<count {
      let nameLength = Int(try reader.read(UInt32.self))
      guard let name = String(validating: try reader.bytes(nameLength), as: UTF8.self) else {
        throw .malformed("a tensor name is not valid UTF-8 (at offset \(reader.offset - nameLength))")
      }
      let code = try reader.read(UInt8.self)
      guard let dtype = DType(rawValue: code) else { throw .malformed("tensor '\(name)' has unknown dtype \(code)") }
      let rank = Int(try reader.read(UInt32.self))
      var shape: [Int] = []
      var elements = 1
      for _ in 0..<rank {
        let dimension = try reader.read(UInt64.self)
        guard dimension <= UInt64(Int32.max) else { throw .malformed("tensor '\(name)' has dimension \(dimension)") }
        shape.append(Int(dimension))
        elements = elements.multipliedReportingOverflow(by: Int(dimension)).partialValue
      }
      let width = dtype == .float32 ? 4 : 8
      let (payloadSize, overflow) = elements.multipliedReportingOverflow(by: width)
      guard !overflow else { throw .malformed("tensor '\(name)' is too large") }
      let payload = try reader.bytes(payloadSize)
      guard entries[name] == nil else { throw .malformed("tensor '\(name)' appears twice") }
      entries[name] = Entry(dtype: dtype, shape: shape, payload: payload)
    }
    guard reader.offset == body else {
      throw .malformed("\(body - reader.offset) unexpected bytes after the last tensor")
    }
  }

  static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    for byte in 0..<MemoryLayout<T>.size { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * byte))) }
  }
}

/// Little-endian reads with bounds checks that report `truncated`.
struct CheckpointReader {
  let bytes: [UInt8]
  var offset = 0
  var limit: Int

  init(bytes: [UInt8]) {
    self.bytes = bytes
    self.limit = bytes.count
  }

  mutating func bytes(_ count: Int) throws(CheckpointError) -> [UInt8] {
    guard count >= 0, count <= limit - offset else {
      throw .truncated(offset: offset, needed: count, available: limit - offset)
    }
    defer { offset += count }
    return Array(bytes[offset..<(offset + count)])
  }

  mutating func read<T: FixedWidthInteger>(_: T.Type) throws(CheckpointError) -> T {
    let raw = try bytes(MemoryLayout<T>.size)
    var value: T = 0
    for (index, byte) in raw.enumerated() { value |= T(byte) << (8 * index) }
    return value
  }
}
