/// A ggml block format of quantised weights: 32 weights per block, blocks laid out row after row.
///
/// - `q4_1`: fp16 scale `d`, fp16 minimum `m`, 16 bytes of 4-bit codes; weight `j < 16` is the low nibble of
///   byte `j`, weight `j ≥ 16` the high nibble of byte `j − 16`; value `q·d + m`.
/// - `q8_0`: fp16 scale `d`, 32 signed bytes; value `q·d`.
public enum QuantizedBlockFormat: String, Sendable, CaseIterable {
  case q4_1
  case q8_0

  /// Weights per block.
  public static let blockLength = 32

  /// Bytes per block.
  public var blockBytes: Int {
    switch self {
    case .q4_1: return 20
    case .q8_0: return 34
    }
  }

  /// Dequantises block `block` (its bytes start at `block`) into `out[0..<32]`, rounding as ggml's reference does
  /// (`q·d` then `+ m`, two roundings for Q4_1); for embedding lookups and tests, not hot loops.
  public func dequantizeBlock(_ block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
    let d = Self.half(block, at: 0)
    switch self {
    case .q4_1:
      let m = Self.half(block, at: 2)
      for j in 0..<16 {
        let byte = block.load(fromByteOffset: 4 + j, as: UInt8.self)
        out[j] = Float(byte & 0xF) * d + m
        out[j + 16] = Float(byte >> 4) * d + m
      }
    case .q8_0:
      for j in 0..<32 { out[j] = Float(block.load(fromByteOffset: 2 + j, as: Int8.self)) * d }
    }
  }

  /// The little-endian fp16 at `offset` as a Float (exact).
  @inline(__always)
  static func half(_ base: UnsafeRawPointer, at offset: Int) -> Float {
    let bits =
      UInt16(base.load(fromByteOffset: offset, as: UInt8.self))
      | UInt16(base.load(fromByteOffset: offset + 1, as: UInt8.self)) << 8
    return Float(Float16(bitPattern: bits))
  }
}
