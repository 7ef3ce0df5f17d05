import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A columnar log on disk (`.adlog`), memory-mapped for reading: rounds in row groups of `groupSize`, each group
/// its columns back to back (actions, slots as Int32; rewards, propensities as Double; dense context as Float;
/// categorical ids as UInt64; expected rewards as Double), then a footer with the widths and the `LogFeatures`.
///
/// ```
/// "ADLOGR01" | pad to 64 | group 0 | group 1 | ... | footer | footer offset, footer length, rounds (UInt64 each) | "ADLOGEND"
/// ```
/// Groups have a fixed size so a group's offset is arithmetic and a writer can stream groups before it knows the
/// number of rounds; the footer goes last for the same reason. All numbers are little-endian.
final class ColumnarLogFile: @unchecked Sendable {
  static let headMagic = Array("ADLOGR01".utf8), tailMagic = Array("ADLOGEND".utf8)
  /// Rounds per row group; a round's group is `round / groupSize`.
  static let groupSize = 1 << 16
  static let dataStart = 64
  static let trailerBytes = 32

  let file: MappedFile
  let count: Int
  let features: LogFeatures
  let denseWidth: Int, categoricalWidth: Int, expectedWidth: Int

  /// Opens a file `ColumnarLogWriter` wrote; nil when it is not one (truncated, another version, corrupt), which
  /// callers treat as a cache miss.
  init?(path: String) {
    guard let file = try? MappedFile(path: path) else { return nil }
    let bytes = file.bytes
    guard bytes.count >= Self.dataStart + Self.trailerBytes,
      Array(bytes[0..<8]) == Self.headMagic, Array(bytes[(bytes.count - 8)...]) == Self.tailMagic
    else { return nil }
    var trailer = ByteReader(bytes, at: bytes.count - Self.trailerBytes)
    guard let footerOffset = trailer.int(), let footerLength = trailer.int(), let rounds = trailer.int(),
      footerOffset >= Self.dataStart, footerLength >= 0, footerOffset + footerLength <= bytes.count - Self.trailerBytes
    else { return nil }
    var footer = ByteReader(bytes, at: footerOffset, end: footerOffset + footerLength)
    guard let widths = footer.ints(3), widths.allSatisfy({ (0...1 << 20).contains($0) }),
      let features = footer.features()
    else { return nil }
    self.file = file
    count = rounds
    denseWidth = widths[0]
    categoricalWidth = widths[1]
    expectedWidth = widths[2]
    self.features = features
    guard
      Self.dataStart
        + Self.bytes(rounds: rounds, dense: denseWidth, categorical: categoricalWidth, expected: expectedWidth)
        == footerOffset
    else { return nil }
  }

  /// Bytes of `rounds` rounds in whole groups plus the last partial one.
  static func bytes(rounds: Int, dense: Int, categorical: Int, expected: Int) -> Int {
    let full = rounds / groupSize, rest = rounds % groupSize
    return full * groupBytes(groupSize, dense, categorical, expected) + groupBytes(rest, dense, categorical, expected)
  }

  static func groupBytes(_ rounds: Int, _ dense: Int, _ categorical: Int, _ expected: Int) -> Int {
    rounds * (4 + 4 + 8 + 8 + 4 * dense + 8 * categorical + 8 * expected)
  }

  var groupCount: Int { (count + Self.groupSize - 1) / Self.groupSize }

  /// The rounds of group `g`, copied out of the map.
  func group(_ g: Int) -> LogColumns {
    let first = g * Self.groupSize, n = min(Self.groupSize, count - first)
    var out = LogColumns(denseWidth: denseWidth, categoricalWidth: categoricalWidth, expectedWidth: expectedWidth)
    var offset = Self.dataStart + g * Self.groupBytes(Self.groupSize, denseWidth, categoricalWidth, expectedWidth)
    func take<T>(_ count: Int, as: T.Type) -> [T] {
      let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        UnsafeMutableRawBufferPointer(buffer).copyMemory(
          from: UnsafeRawBufferPointer(rebasing: file.bytes[offset..<(offset + count * MemoryLayout<T>.stride)]))
        initialized = count
      }
      offset += count * MemoryLayout<T>.stride
      return values
    }
    out.actions = take(n, as: Int32.self)
    out.slots = take(n, as: Int32.self)
    out.rewards = take(n, as: Double.self)
    out.propensities = take(n, as: Double.self)
    out.dense = take(n * denseWidth, as: Float.self)
    out.categorical = take(n * categoricalWidth, as: UInt64.self)
    out.expected = take(n * expectedWidth, as: Double.self)
    return out
  }

  /// Drops group `g`'s pages from this process's resident memory (a streaming pass is done with them).
  func release(group g: Int) {
    let size = Self.groupBytes(Self.groupSize, denseWidth, categoricalWidth, expectedWidth)
    file.release((Self.dataStart + g * size)..<(Self.dataStart + (g + 1) * size))
  }

  /// Every round, in memory.
  func all() -> LogColumns {
    var out = LogColumns(denseWidth: denseWidth, categoricalWidth: categoricalWidth, expectedWidth: expectedWidth)
    for g in 0..<groupCount { out.append(group(g)) }
    return out
  }
}

/// Writes a `ColumnarLogFile` from rounds arriving in order, in chunks of any size: full groups go to disk as
/// they fill, so memory holds at most one group. The file appears (renamed into place) only when `finish`
/// succeeds, so readers never see half a file.
final class ColumnarLogWriter {
  private let path: String, temporary: String
  private let handle: FileHandle
  private var pending: LogColumns
  private(set) var count = 0
  private var finished = false

  init(path: String, denseWidth: Int, categoricalWidth: Int, expectedWidth: Int) throws(LoggedDataError) {
    self.path = path
    // Unique per writer: two tasks or processes filling the same cache entry must not share a half-written file.
    temporary = path + ".tmp-\(getpid())-\(UUID().uuidString)"
    pending = LogColumns(denseWidth: denseWidth, categoricalWidth: categoricalWidth, expectedWidth: expectedWidth)
    let folder = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw .other(
        "\(folder): cannot create the log cache folder (\(error.localizedDescription)); set ADLAB_CACHE to a writable folder"
      )
    }
    guard FileManager.default.createFile(atPath: temporary, contents: nil),
      let handle = FileHandle(forWritingAtPath: temporary)
    else {
      throw .other("\(temporary): cannot write the columnar log cache; set ADLAB_CACHE to a writable folder")
    }
    self.handle = handle
    var head = ColumnarLogFile.headMagic
    head += [UInt8](repeating: 0, count: ColumnarLogFile.dataStart - head.count)
    try write(head)
  }

  deinit {
    try? handle.close()
    if !finished { unlink(temporary) }
  }

  /// Appends rounds (same widths as the writer).
  func append(_ columns: LogColumns) throws(LoggedDataError) {
    var start = 0
    while start < columns.count {
      let take = min(ColumnarLogFile.groupSize - pending.count, columns.count - start)
      pending.append(columns.slice(start..<(start + take)))
      start += take
      if pending.count == ColumnarLogFile.groupSize { try flush() }
    }
  }

  /// Writes the last group and the footer, and moves the file into place.
  func finish(features: LogFeatures) throws(LoggedDataError) {
    try flush()
    let footerOffset =
      ColumnarLogFile.dataStart
      + ColumnarLogFile.bytes(
        rounds: count, dense: pending.denseWidth, categorical: pending.categoricalWidth, expected: pending.expectedWidth
      )
    var footer = ByteWriter()
    for width in [pending.denseWidth, pending.categoricalWidth, pending.expectedWidth] { footer.int(width) }
    footer.features(features)
    var trailer = ByteWriter()
    trailer.int(footerOffset)
    trailer.int(footer.bytes.count)
    trailer.int(count)
    try write(footer.bytes + trailer.bytes + ColumnarLogFile.tailMagic)
    try? handle.close()
    guard rename(temporary, path) == 0 else {
      throw .other("\(path): cannot move the columnar log cache into place (errno \(errno))")
    }
    finished = true
  }

  private func flush() throws(LoggedDataError) {
    guard pending.count > 0 else { return }
    var data = Data()
    func add<T>(_ values: [T]) { values.withUnsafeBytes { data.append(contentsOf: $0) } }
    add(pending.actions)
    add(pending.slots)
    add(pending.rewards)
    add(pending.propensities)
    add(pending.dense)
    add(pending.categorical)
    add(pending.expected)
    try write(data)
    count += pending.count
    pending = LogColumns(
      denseWidth: pending.denseWidth, categoricalWidth: pending.categoricalWidth, expectedWidth: pending.expectedWidth)
  }

  private func write<Bytes: DataProtocol>(_ bytes: Bytes) throws(LoggedDataError) {
    do { try handle.write(contentsOf: bytes) } catch {
      throw .other(
        "\(temporary): cannot write the columnar log cache (\(error.localizedDescription)); is the disk full?")
    }
  }
}

/// Little-endian encoding of the footer's numbers, strings and `LogFeatures`.
struct ByteWriter {
  var bytes: [UInt8] = []
  mutating func int(_ value: Int) {
    withUnsafeBytes(of: UInt64(truncatingIfNeeded: value).littleEndian) { bytes += $0 }
  }
  mutating func string(_ value: String) {
    int(value.utf8.count)
    bytes += value.utf8
  }
  mutating func features(_ features: LogFeatures) {
    int(features.candidateCount)
    int(features.slotCount)
    int(features.schema.categorical.count)
    for c in features.schema.categorical {
      string(c.name)
      string(c.side.rawValue)
      int(c.cardinality ?? -1)
    }
    int(features.schema.dense.count)
    for d in features.schema.dense {
      string(d.name)
      string(d.side.rawValue)
      int(d.width)
    }
    int(features.candidateCategorical.count)
    for value in features.candidateCategorical { int(Int(truncatingIfNeeded: value)) }
    int(features.candidateDense.count)
    for value in features.candidateDense { int(Int(value.bitPattern)) }
  }
}

/// Reads what `ByteWriter` wrote, checking every length against the bytes there are; nil on anything malformed.
struct ByteReader {
  let bytes: UnsafeRawBufferPointer
  var offset: Int
  let end: Int

  init(_ bytes: UnsafeRawBufferPointer, at offset: Int, end: Int? = nil) {
    self.bytes = bytes
    self.offset = offset
    self.end = end ?? bytes.count
  }

  mutating func int() -> Int? {
    guard offset >= 0, offset + 8 <= end else { return nil }
    var value: UInt64 = 0
    withUnsafeMutableBytes(of: &value) {
      $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 8)]))
    }
    offset += 8
    return Int(truncatingIfNeeded: UInt64(littleEndian: value))
  }

  mutating func ints(_ count: Int) -> [Int]? {
    var out: [Int] = []
    for _ in 0..<count {
      guard let value = int() else { return nil }
      out.append(value)
    }
    return out
  }

  /// A count that the remaining bytes could hold at `each` bytes per item.
  mutating func count(each: Int) -> Int? {
    guard let n = int(), n >= 0, n <= (end - offset) / max(1, each) else { return nil }
    return n
  }

  mutating func string() -> String? {
    guard let n = count(each: 1) else { return nil }
    defer { offset += n }
    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]), as: UTF8.self)
  }

  mutating func features() -> LogFeatures? {
    guard let k = int(), let slots = int(), k >= 0, slots >= 1, let categoricalCount = count(each: 24) else {
      return nil
    }
    var categorical: [FeatureSchema.Categorical] = []
    for _ in 0..<categoricalCount {
      guard let name = string(), let side = string().flatMap(FeatureSide.init(rawValue:)), let cardinality = int()
      else { return nil }
      categorical.append(.init(name, side: side, cardinality: cardinality < 0 ? nil : cardinality))
    }
    guard let denseCount = count(each: 24) else { return nil }
    var dense: [FeatureSchema.Dense] = []
    for _ in 0..<denseCount {
      guard let name = string(), let side = string().flatMap(FeatureSide.init(rawValue:)), let width = int(), width >= 1
      else { return nil }
      dense.append(.init(name, side: side, width: width))
    }
    let names = categorical.map(\.name) + dense.map(\.name)
    guard Set(names).count == names.count, let idCount = count(each: 8) else { return nil }
    var ids: [UInt64] = []
    for _ in 0..<idCount {
      guard let value = int() else { return nil }
      ids.append(UInt64(truncatingIfNeeded: value))
    }
    guard let denseValues = count(each: 8) else { return nil }
    var values: [Float] = []
    for _ in 0..<denseValues {
      guard let value = int() else { return nil }
      values.append(Float(bitPattern: UInt32(truncatingIfNeeded: value)))
    }
    return LogFeatures(
      schema: FeatureSchema(categorical: categorical, dense: dense), candidateCount: k, slotCount: slots,
      candidateCategorical: ids, candidateDense: values)
  }
}
