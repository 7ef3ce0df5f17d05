import Crypto
import Foundation

/// Appends little-endian integers, IEEE 754 doubles and length-prefixed UTF-8 to a buffer (resume records).
struct RecordByteWriter {
  private(set) var data = Data()

  mutating func bytes(_ values: [UInt8]) { data.append(contentsOf: values) }
  mutating func u8(_ value: UInt8) { data.append(value) }
  mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
  mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
  mutating func f64(_ value: Double) { u64(value.bitPattern) }
  mutating func text(_ value: String) {
    let utf8 = Array(value.utf8)
    u64(UInt64(utf8.count))
    bytes(utf8)
  }
}

/// Reads what `RecordByteWriter` wrote, bounds-checked: a short or malformed record throws instead of trapping.
struct RecordByteReader {
  private let data: [UInt8]
  private var offset = 0

  init(_ data: Data) { self.data = Array(data) }

  var remaining: Int { data.count - offset }

  mutating func bytes(_ count: Int) throws(ResumeError) -> [UInt8] {
    guard count >= 0, count <= remaining else { throw .damagedRecord(reason: "cut short") }
    defer { offset += count }
    return Array(data[offset..<(offset + count)])
  }

  mutating func u8() throws(ResumeError) -> UInt8 { try bytes(1)[0] }

  mutating func u32() throws(ResumeError) -> UInt32 {
    try bytes(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
  }

  mutating func u64() throws(ResumeError) -> UInt64 {
    try bytes(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
  }

  mutating func f64() throws(ResumeError) -> Double { Double(bitPattern: try u64()) }

  /// A u64 count that must not exceed `limit` (what the rest of the record could hold), as an Int.
  mutating func count(limit: Int) throws(ResumeError) -> Int {
    let value = try u64()
    guard value <= UInt64(max(0, limit)) else { throw .damagedRecord(reason: "a count larger than the record") }
    return Int(value)
  }

  mutating func text() throws(ResumeError) -> String {
    let length = try count(limit: remaining)
    return String(decoding: try bytes(length), as: UTF8.self)
  }
}

/// sha256 of bytes, raw.
enum SHA256Digest {
  static func of(_ data: Data) -> [UInt8] { Array(SHA256.hash(data: data)) }
}
