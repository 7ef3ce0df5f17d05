/// Number parsing from raw field bytes, without making a `String` for the common case.
enum CSVNumber {
  /// Exact powers of ten: every one up to 10²² is a Double, which is what makes the fast path exact.
  private static let powersOfTen: [Double] = (0...22).map { exponent in
    var value = 1.0
    for _ in 0..<exponent { value *= 10 }
    return value
  }

  /// The Double written in `bytes` (surrounding spaces and tabs ignored), or nil when it is not a number.
  ///
  /// Plain decimals with at most 19 significant digits whose value is m · 10^e with m < 2⁵³ and |e| ≤ 22 are
  /// converted as one correctly rounded multiplication or division of two exact Doubles (Clinger's fast path),
  /// so they equal `Double(String)` bit for bit; anything else (more digits, large exponents, `nan`, `inf`, hex)
  /// goes to `Double(String)` itself.
  static func double(_ bytes: UnsafeRawBufferPointer) -> Double? {
    var start = 0, end = bytes.count
    while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
    while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
    guard start < end else { return nil }
    var i = start
    var negative = false
    if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
      negative = bytes[i] == UInt8(ascii: "-")
      i += 1
    }
    var mantissa: UInt64 = 0, digits = 0, significant = 0, exponent = 0
    while i < end, bytes[i] &- 48 < 10 {
      mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48)
      if mantissa != 0 { significant += 1 }
      digits += 1
      i += 1
    }
    if i < end && bytes[i] == UInt8(ascii: ".") {
      i += 1
      while i < end, bytes[i] &- 48 < 10 {
        mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48)
        if mantissa != 0 { significant += 1 }
        digits += 1
        exponent -= 1
        i += 1
      }
    }
    if digits > 0 && i < end && (bytes[i] | 0x20) == UInt8(ascii: "e") {
      i += 1
      var negativeExponent = false
      if i < end && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
        negativeExponent = bytes[i] == UInt8(ascii: "-")
        i += 1
      }
      var written = 0, exponentDigits = 0
      while i < end, bytes[i] &- 48 < 10, exponentDigits < 6 {
        written = written * 10 + Int(bytes[i] &- 48)
        exponentDigits += 1
        i += 1
      }
      if exponentDigits == 0 { return slow(bytes, start, end) }
      exponent += negativeExponent ? -written : written
    }
    guard i == end, digits > 0, significant <= 19, mantissa < (1 << 53), abs(exponent) <= 22 else {
      return slow(bytes, start, end)
    }
    var value = Double(mantissa)
    value = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
    return negative ? -value : value
  }

  private static func slow(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Double? {
    Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
  }
}

/// A stable 64-bit id for a categorical field (FNV-1a over its bytes): models hash ids again with their own seeded
/// hash, so this only needs to be deterministic across runs and platforms, which `String.hashValue` is not.
@inline(__always) func stableID(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for byte in bytes {
    hash ^= UInt64(byte)
    hash = hash &* 0x100_0000_01b3
  }
  return hash
}
