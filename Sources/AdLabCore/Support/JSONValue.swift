/// A JSON value whose text form is canonical: objects keep the order they were built in,
/// numbers print in Swift's shortest round-trip form, so equal values always give equal bytes.
///
/// Bundles hash their files, so every JSON AdLab writes goes through this one writer.
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.int(let a), .int(let b)): return a == b
    case (.double(let a), .double(let b)): return a.bitPattern == b.bitPattern
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// The value of `key` in an object, or nil.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let entries) = self else { return nil }
    return entries.first { $0.0 == key }?.1
  }

  /// A number that is not finite has no JSON form; it is written as null.
  public static func number(_ value: Double) -> JSONValue { value.isFinite ? .double(value) : .null }

  /// Pretty text with two-space indentation and a trailing newline.
  public func rendered() -> String {
    var out = ""
    write(to: &out, indent: 0)
    out.append("\n")
    return out
  }

  private func write(to out: inout String, indent: Int) {
    switch self {
    case .null: out.append("null")
    case .bool(let b): out.append(b ? "true" : "false")
    case .int(let i): out.append(String(i))
    case .double(let d): out.append(d.isFinite ? Self.format(d) : "null")
    case .string(let s): Self.writeString(s, to: &out)
    case .array(let items):
      if items.isEmpty {
        out.append("[]")
        return
      }
      if items.allSatisfy(\.isScalar) {
        out.append("[")
        for (i, item) in items.enumerated() {
          if i > 0 { out.append(", ") }
          item.write(to: &out, indent: indent)
        }
        out.append("]")
        return
      }
      out.append("[\n")
      for (i, item) in items.enumerated() {
        out.append(String(repeating: " ", count: indent + 2))
        item.write(to: &out, indent: indent + 2)
        out.append(i + 1 < items.count ? ",\n" : "\n")
      }
      out.append(String(repeating: " ", count: indent) + "]")
    case .object(let entries):
      if entries.isEmpty {
        out.append("{}")
        return
      }
      out.append("{\n")
      for (i, (key, value)) in entries.enumerated() {
        out.append(String(repeating: " ", count: indent + 2))
        Self.writeString(key, to: &out)
        out.append(": ")
        value.write(to: &out, indent: indent + 2)
        out.append(i + 1 < entries.count ? ",\n" : "\n")
      }
      out.append(String(repeating: " ", count: indent) + "}")
    }
  }

  private var isScalar: Bool {
    switch self {
    case .array, .object: return false
    default: return true
    }
  }

  /// Shortest text that reads back to the same Double; integral values keep a ".0" so they stay floats.
  public static func format(_ d: Double) -> String {
    d.description
  }

  private static func writeString(_ s: String, to out: inout String) {
    out.append("\"")
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out.append("\\\"")
      case "\\": out.append("\\\\")
      case "\n": out.append("\\n")
      case "\r": out.append("\\r")
      case "\t": out.append("\\t")
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
      default: out.unicodeScalars.append(scalar)
      }
    }
    out.append("\"")
  }
}
