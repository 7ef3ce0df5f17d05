extension YAMLScalar {
  /// The value under the YAML 1.2 core schema.
  ///
  /// Plain scalars resolve by their text, in this order:
  /// - null: `~`, `null`, `Null`, `NULL` and the empty scalar;
  /// - bool: `true`, `True`, `TRUE`, `false`, `False`, `FALSE`;
  /// - int: `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+` (a decimal too large for `Int` is a double);
  /// - float: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?\.inf`, `.nan`
  ///   (each also in `Inf`/`INF`, `NaN`/`NAN` spelling);
  /// - anything else is a string.
  ///
  /// Quoted scalars, `!!str` and unknown tags give strings. `!!null`, `!!bool`, `!!int` and
  /// `!!float` resolve the text by that type's rule only (`!!float` also accepts integers); text
  /// that does not fit the tag stays a string, so a later type check reports it.
  public var resolved: ResolvedScalar {
    if isPlain {
      return Self.resolveNull(text) ?? Self.resolveBool(text)
        ?? Self.resolveInt(text)
        ?? Self.resolveFloat(text) ?? .string(text)
    }
    let byTag: ResolvedScalar? =
      switch tag {
      case Self.nullTag: Self.resolveNull(text)
      case Self.boolTag: Self.resolveBool(text)
      case Self.intTag: Self.resolveInt(text)
      case Self.floatTag: Self.resolveFloat(text)
      default: nil
      }
    return byTag ?? .string(text)
  }

  // MARK: - Implementation details

  private static func resolveNull(_ text: String) -> ResolvedScalar? {
    switch text {
    case "", "~", "null", "Null", "NULL": .null
    default: nil
    }
  }

  private static func resolveBool(_ text: String) -> ResolvedScalar? {
    switch text {
    case "true", "True", "TRUE": .bool(true)
    case "false", "False", "FALSE": .bool(false)
    default: nil
    }
  }

  private static func resolveInt(_ text: String) -> ResolvedScalar? {
    let bytes = Array(text.utf8)
    if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
      let digits = String(decoding: bytes[2...], as: UTF8.self)
      switch bytes[1] {
      case UInt8(ascii: "o"):
        return bytes[2...].allSatisfy(isOctalDigit)
          ? Int(digits, radix: 8).map { .int($0) } : nil
      case UInt8(ascii: "x"):
        return bytes[2...].allSatisfy(isHexDigit)
          ? Int(digits, radix: 16).map { .int($0) } : nil
      default:
        break
      }
    }
    let unsigned =
      bytes.first.map(isSign) == true ? bytes.dropFirst() : bytes[...]
    guard !unsigned.isEmpty, unsigned.allSatisfy(isDecimalDigit) else {
      return nil
    }
    return Int(text).map { .int($0) }
  }

  private static func resolveFloat(_ text: String) -> ResolvedScalar? {
    var unsigned = Substring(text)
    var negative = false
    if let first = unsigned.first, first == "-" || first == "+" {
      negative = first == "-"
      unsigned = unsigned.dropFirst()
    }
    switch unsigned {
    case ".inf", ".Inf", ".INF":
      return .double(negative ? -.infinity : .infinity)
    case ".nan", ".NaN", ".NAN": return text.first == "." ? .double(.nan) : nil
    default: break
    }
    guard isCoreFloatSyntax(Array(unsigned.utf8)) else { return nil }
    return Double(text).map { .double($0) }
  }

  /// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, on the text after an optional sign.
  private static func isCoreFloatSyntax(_ bytes: [UInt8]) -> Bool {
    var index = 0
    func digits() -> Int {
      let start = index
      while index < bytes.count, isDecimalDigit(bytes[index]) { index += 1 }
      return index - start
    }
    let integerDigits = digits()
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      if digits() == 0, integerDigits == 0 { return false }
    } else if integerDigits == 0 {
      return false
    }
    if index < bytes.count,
      bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")
    {
      index += 1
      if index < bytes.count, isSign(bytes[index]) { index += 1 }
      if digits() == 0 { return false }
    }
    return index == bytes.count
  }

  private static func isSign(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
  }

  private static func isDecimalDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
  }

  private static func isOctalDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte)
  }

  private static func isHexDigit(_ byte: UInt8) -> Bool {
    isDecimalDigit(byte)
      || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
  }
}
