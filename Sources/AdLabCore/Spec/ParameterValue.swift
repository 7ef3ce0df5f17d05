/// A type a spec or plugin parameter can have: how it is read from YAML and written to resolved JSON.
public protocol ParameterValue: Sendable {
  /// How the type is named in errors and in `adlab plugins`, e.g. "number" or "list of numbers".
  static var typeDescription: String { get }
  /// Reads a value, or records why it cannot and returns nil.
  static func decode(_ node: YAMLNode, path: String, sink: DiagnosticSink) -> Self?
  /// The canonical JSON form written to resolved.json.
  var json: JSONValue { get }
}

extension ParameterValue {
  static func mismatch(_ node: YAMLNode, path: String, sink: DiagnosticSink) -> Self? {
    var found = node.kindName
    if case .scalar(let scalar) = node { found += " '\(scalar.text)'" }
    sink.error("expected \(typeDescription), found \(found)", at: node.mark, path: path)
    return nil
  }
}

extension Double: ParameterValue {
  public static var typeDescription: String { "a number" }
  /// Every real parameter is finite: `.inf`, `-.inf` and `.nan` are rejected here, once for all plugins.
  public static func decode(_ node: YAMLNode, path: String, sink: DiagnosticSink) -> Double? {
    if case .scalar(let scalar) = node {
      switch scalar.resolved {
      case .int(let i): return Double(i)
      case .double(let d) where d.isFinite: return d
      case .double:
        sink.error(
          "'\(scalar.text)' is not a finite number", at: node.mark, path: path, suggestion: "give a finite number")
        return nil
      default: break
      }
    }
    return mismatch(node, path: path, sink: sink)
  }
  public var json: JSONValue { .number(self) }
}

extension Int: ParameterValue {
  public static var typeDescription: String { "an integer" }
  /// Accepts `100000` and also `1e5`, as long as the value is a whole number that fits.
  public static func decode(_ node: YAMLNode, path: String, sink: DiagnosticSink) -> Int? {
    if case .scalar(let scalar) = node {
      switch scalar.resolved {
      case .int(let i): return i
      case .double(let d) where d.rounded() == d && abs(d) < 9.0e15: return Int(d)
      default: break
      }
    }
    return mismatch(node, path: path, sink: sink)
  }
  public var json: JSONValue { .int(self) }
}

extension Bool: ParameterValue {
  public static var typeDescription: String { "true or false" }
  public static func decode(_ node: YAMLNode, path: String, sink: DiagnosticSink) -> Bool? {
    if case .scalar(let scalar) = node, case .bool(let b) = scalar.resolved { return b }
    return mismatch(node, path: path, sink: sink)
  }
  public var json: JSONValue { .bool(self) }
}

extension String: ParameterValue {
  public static var typeDescription: String { "a string" }
  /// Any scalar but null reads as its text, so `name: 2024` is the name "2024".
  public static func decode(_ node: YAMLNode, path: String, sink: DiagnosticSink) -> String? {
    if case .scalar(let scalar) = node, scalar.resolved != .null { return scalar.text }
    return mismatch(node, path: path, sink: sink)
  }
  public var json: JSONValue { .string(self) }
}

extension Array: ParameterValue where Element: ParameterValue {
  public static var typeDescription: String {
    "a list of "
      + Element.typeDescription.replacingOccurrences(of: "a ", with: "").replacingOccurrences(of: "an ", with: "") + "s"
  }
  public static func decode(_ node: YAMLNode, path: String, sink: DiagnosticSink) -> [Element]? {
    guard case .sequence(let sequence) = node else { return mismatch(node, path: path, sink: sink) }
    var values: [Element] = []
    var ok = true
    for (index, item) in sequence.items.enumerated() {
      if let value = Element.decode(item, path: "\(path)[\(index)]", sink: sink) {
        values.append(value)
      } else {
        ok = false
      }
    }
    return ok ? values : nil
  }
  public var json: JSONValue { .array(map(\.json)) }
}

extension Optional: ParameterValue where Wrapped: ParameterValue {
  public static var typeDescription: String { Wrapped.typeDescription + " or null" }
  /// `null` (or `~`) is nil; anything else must be a `Wrapped`. A decoding failure returns `.some(nil)`'s
  /// opposite: the outer nil.
  public static func decode(_ node: YAMLNode, path: String, sink: DiagnosticSink) -> Wrapped?? {
    if case .scalar(let scalar) = node, scalar.resolved == .null { return .some(nil) }
    guard let value = Wrapped.decode(node, path: path, sink: sink) else { return nil }
    return .some(value)
  }
  public var json: JSONValue { map(\.json) ?? .null }
}
