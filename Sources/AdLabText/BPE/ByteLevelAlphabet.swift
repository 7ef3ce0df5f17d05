/// GPT-2's reversible byte ↔ character mapping, under which byte-level BPE vocabularies are written: every byte
/// becomes a printable Unicode scalar, so no token contains whitespace or control characters. Bytes that are
/// already printable Latin-1 (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for themselves; the other 68 take U+0100 upward in
/// byte order (so a space is `Ġ`, U+0120, and a newline `Ċ`, U+010A).
enum ByteLevelAlphabet {
  /// The scalar that stands for each byte.
  static let scalarForByte: [Unicode.Scalar] = {
    var table = [Unicode.Scalar](repeating: "\0", count: 256)
    var next: UInt32 = 256
    for byte in 0..<256 {
      if (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte) {
        table[byte] = Unicode.Scalar(UInt8(byte))
      } else {
        table[byte] = Unicode.Scalar(next) ?? "\0"
        next += 1
      }
    }
    return table
  }()

  /// The byte each scalar of the alphabet stands for (scalars U+0000…U+0143), nil outside the alphabet.
  static func byte(for scalar: Unicode.Scalar) -> UInt8? { byteForScalar[Int(scalar.value)] }

  private static let byteForScalar: [Int: UInt8] = {
    var table: [Int: UInt8] = [:]
    for (byte, scalar) in scalarForByte.enumerated() { table[Int(scalar.value)] = UInt8(byte) }
    return table
  }()

  /// The alphabet string of some bytes (how a vocabulary spells them).
  static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
    var text = String.UnicodeScalarView()
    for byte in bytes { text.append(scalarForByte[Int(byte)]) }
    return String(text)
  }

  /// The bytes an alphabet string stands for, nil when a scalar is outside the alphabet.
  static func decode(_ text: String) -> [UInt8]? {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
      guard let byte = byte(for: scalar) else { return nil }
      bytes.append(byte)
    }
    return bytes
  }
}
