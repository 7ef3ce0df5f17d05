import AdLabCore

/// The wire format of process plugins, version 1 (docs/process-protocol.md is the normative text).
///
/// Every message is a frame: a little-endian `u32` payload length, then the payload, whose first byte is the
/// message type. Numbers are little-endian; arrays are raw little-endian element runs whose lengths follow from
/// counts sent earlier (the handshake's schema, the batch header), so no array carries its own length.
enum ProcessProtocol {
  static let version: UInt32 = 1
  /// Largest frame either side accepts (1 GiB): a garbage length prefix is caught instead of allocated.
  static let maxFrame = 1 << 30

  enum Message: UInt8 {
    /// Parent → child: handshake. Child → parent: the same type acknowledges it with the child's version.
    case hello = 1
    /// Parent → child: a batch to decide. Child → parent: the actions (and propensities).
    case decide = 2
    /// Parent → child: a decided batch with its rewards. Child → parent: an empty acknowledgement.
    case learn = 3
    /// Parent → child: no more messages. Child → parent: an empty acknowledgement, then the child exits.
    case close = 4
    /// Parent → child (interest models): a batch to predict. Child → parent: pCTR (and pCVR) per candidate.
    case predict = 5
    /// Child → parent: a failure in the child (a UTF-8 message), instead of the expected reply.
    case error = 0x7F
  }

  enum Kind: UInt8 {
    case policy = 1
    case model = 2
  }

  /// `flags` of a batch header.
  enum Flag {
    static let propensitiesWanted: UInt32 = 1 << 0
    static let candidateIDs: UInt32 = 1 << 1
    static let clickPredictions: UInt32 = 1 << 2
    static let conversionPredictions: UInt32 = 1 << 3
  }

  static func sideCode(_ side: FeatureSide) -> UInt8 {
    switch side {
    case .user: return 0
    case .context: return 1
    case .ad: return 2
    }
  }
}

/// Builds one frame: reserves the length prefix, appends the payload, patches the length in `finish`.
struct FrameWriter {
  private(set) var bytes: [UInt8] = []

  mutating func start(_ message: ProcessProtocol.Message) {
    bytes.removeAll(keepingCapacity: true)
    bytes.append(contentsOf: [0, 0, 0, 0])
    bytes.append(message.rawValue)
  }

  mutating func finish() {
    let length = UInt32(bytes.count - 4)
    withUnsafeBytes(of: length.littleEndian) { raw in
      for i in 0..<4 { bytes[i] = raw[i] }
    }
  }

  mutating func u8(_ value: UInt8) { bytes.append(value) }
  mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
  mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
  mutating func i64(_ value: Int64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
  mutating func count(_ value: Int) { u32(UInt32(clamping: value)) }

  mutating func string(_ text: String) {
    let utf8 = Array(text.utf8)
    count(utf8.count)
    bytes.append(contentsOf: utf8)
  }

  /// Appends exactly `count` elements: `values` when it has that many, else zeros (a plugin never sends a
  /// frame whose length disagrees with its header, whatever an environment filled in).
  mutating func array<T: FixedWidthInteger>(_ values: [T], count: Int) {
    if values.count == count {
      values.withUnsafeBufferPointer { buffer in
        if T.zero.littleEndian == T.zero, 1.littleEndian == 1 {
          bytes.append(contentsOf: UnsafeRawBufferPointer(buffer))
        } else {
          for v in buffer { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        }
      }
    } else {
      bytes.append(contentsOf: repeatElement(0, count: count * MemoryLayout<T>.size))
    }
  }

  mutating func array(_ values: [Float], count: Int) { array(values.map(\.bitPattern), count: count) }
  mutating func array(_ values: [Double], count: Int) { array(values.map(\.bitPattern), count: count) }
  mutating func array(_ values: UnsafeBufferPointer<Int32>) { array(Array(values), count: values.count) }
  mutating func array(_ values: UnsafeBufferPointer<Double>) { array(values.map(\.bitPattern), count: values.count) }
}

/// Reads a reply payload (after its length prefix), checking every read against the payload's end.
struct FrameReader {
  let bytes: [UInt8]
  private(set) var offset = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var remaining: Int { bytes.count - offset }

  enum Failure: Error { case short(needed: Int, left: Int) }

  private mutating func take(_ n: Int) throws -> Range<Int> {
    guard n >= 0, n <= remaining else { throw Failure.short(needed: n, left: remaining) }
    defer { offset += n }
    return offset..<(offset + n)
  }

  mutating func u8() throws -> UInt8 { bytes[try take(1).lowerBound] }

  mutating func u32() throws -> UInt32 {
    let r = try take(4)
    var v: UInt32 = 0
    for i in r.reversed() { v = v << 8 | UInt32(bytes[i]) }
    return v
  }

  mutating func string() throws -> String {
    let n = Int(try u32())
    return String(decoding: bytes[try take(n)], as: UTF8.self)
  }

  /// Reads `count` little-endian `Int32`s into `out[0..<count]`.
  mutating func int32s(_ count: Int, into out: UnsafeMutableBufferPointer<Int32>) throws {
    let r = try take(count * 4)
    bytes.withUnsafeBytes { raw in
      for i in 0..<count {
        out[i] = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: r.lowerBound + 4 * i, as: Int32.self))
      }
    }
  }

  /// Reads `count` little-endian `Double`s into `out[0..<count]`.
  mutating func doubles(_ count: Int, into out: UnsafeMutableBufferPointer<Double>) throws {
    let r = try take(count * 8)
    bytes.withUnsafeBytes { raw in
      for i in 0..<count {
        out[i] = Double(
          bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: r.lowerBound + 8 * i, as: UInt64.self)))
      }
    }
  }
}
