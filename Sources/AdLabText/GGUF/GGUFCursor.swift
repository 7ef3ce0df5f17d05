/// A bounds-checked little-endian reader over the mapped header of a GGUF file. Every read checks the bytes are
/// there first and reports what it was reading, so a truncated file fails with a message naming the structure.
struct GGUFCursor {
  let bytes: UnsafeRawBufferPointer
  let path: String
  private(set) var position = 0

  init(bytes: UnsafeRawBufferPointer, path: String) {
    self.bytes = bytes
    self.path = path
  }

  var remaining: Int { bytes.count - position }

  /// Checks that `count` bytes follow the current position.
  func require(_ count: Int, for what: @autoclosure () -> String) throws(GGUFError) {
    guard count >= 0, count <= remaining else {
      throw .truncated(path: path, what: what(), offset: position, needed: count, fileSize: bytes.count)
    }
  }

  mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
    try require(MemoryLayout<T>.size, for: what())
    let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    position += MemoryLayout<T>.size
    return value
  }

  /// A uint64 count or size that must fit an `Int`. Whether the file holds that many items is found by reading
  /// them (a claim beyond the end is then reported as truncated, naming the item).
  mutating func readCount(_ what: @autoclosure () -> String) throws(GGUFError) -> Int {
    let raw = try read(UInt64.self, what())
    guard let count = Int(exactly: raw) else { throw .implausibleSize(path: path, what: what(), value: raw) }
    return count
  }

  /// A GGUF string: a uint64 byte length, then that many UTF-8 bytes (no terminator).
  mutating func readString(_ what: @autoclosure () -> String) throws(GGUFError) -> String {
    let length = try readCount("the length of \(what())")
    try require(length, for: what())
    let start = position
    position += length
    let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])
    guard let text = String(validating: slice, as: UTF8.self) else { throw .invalidString(path: path, what: what()) }
    return text
  }

  /// The offset the next multiple of `alignment` would have, even past the end.
  func alignedPosition(_ alignment: Int) -> Int { (position + alignment - 1) & ~(alignment - 1) }
}
