import Foundation

@testable import AdLabText

/// Writes small GGUF files byte by byte for the reader's tests, with knobs to break each part.
struct GGUFBuilder {
  var magic = Array("GGUF".utf8)
  var version: UInt32 = 3
  /// Metadata entries as already-encoded `type code + value` bytes.
  var metadata: [(key: String, encoded: [UInt8])] = []
  var tensors: [(name: String, dimensions: [UInt64], type: UInt32, offset: UInt64)] = []
  var data: [UInt8] = []
  var alignment = 32
  /// Overrides the counts written in the header (to claim more than is there).
  var tensorCountOverride: UInt64?

  static func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }
  static func u64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
  static func string(_ s: String) -> [UInt8] { u64(UInt64(s.utf8.count)) + Array(s.utf8) }

  mutating func add(_ key: String, uint32 v: UInt32) { metadata.append((key, Self.u32(4) + Self.u32(v))) }
  mutating func add(_ key: String, float32 v: Float) { metadata.append((key, Self.u32(6) + Self.u32(v.bitPattern))) }
  mutating func add(_ key: String, string v: String) { metadata.append((key, Self.u32(8) + Self.string(v))) }
  mutating func add(_ key: String, strings: [String]) {
    metadata.append((key, Self.u32(9) + Self.u32(8) + Self.u64(UInt64(strings.count)) + strings.flatMap(Self.string)))
  }
  mutating func add(_ key: String, int32s: [Int32]) {
    metadata.append(
      (
        key,
        Self.u32(9) + Self.u32(5) + Self.u64(UInt64(int32s.count)) + int32s.flatMap { Self.u32(UInt32(bitPattern: $0)) }
      ))
  }

  func bytes() -> [UInt8] {
    var out = magic + Self.u32(version)
    out += Self.u64(tensorCountOverride ?? UInt64(tensors.count)) + Self.u64(UInt64(metadata.count))
    for (key, encoded) in metadata { out += Self.string(key) + encoded }
    for tensor in tensors {
      out += Self.string(tensor.name) + Self.u32(UInt32(tensor.dimensions.count))
      out += tensor.dimensions.flatMap(Self.u64) + Self.u32(tensor.type) + Self.u64(tensor.offset)
    }
    while out.count % alignment != 0 { out.append(0) }
    return out + data
  }

  /// Writes the file to a fresh temporary path and opens it.
  func open(_ bytes: [UInt8]? = nil) throws(GGUFError) -> GGUFFile {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "adlab-gguf-\(getpid())-\(UUID().uuidString).gguf")
    defer { try? FileManager.default.removeItem(at: url) }
    _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes ?? self.bytes()))
    return try GGUFFile(contentsOf: url)
  }
}
