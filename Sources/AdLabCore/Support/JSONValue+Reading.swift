import Foundation

/// Reading JSON back: AdLab's own files (summary.json, sweep.json, manifest.json) go through the YAML
/// parser (JSON is YAML) and come out as `JSONValue`, with typed accessors for the readers.
extension JSONValue {
  /// The value of a YAML node: scalars by their resolved type, mappings as objects in source order.
  public init(_ node: YAMLNode) {
    switch node {
    case .scalar(let scalar):
      switch scalar.resolved {
      case .null: self = .null
      case .bool(let b): self = .bool(b)
      case .int(let i): self = .int(i)
      case .double(let d): self = .double(d)
      case .string(let s): self = .string(s)
      }
    case .sequence(let sequence): self = .array(sequence.items.map(JSONValue.init))
    case .mapping(let mapping): self = .object(mapping.entries.map { ($0.key.text, JSONValue($0.value)) })
    }
  }

  /// Reads the JSON file at `path`.
  ///
  /// - Throws: `BundleError.notABundle` naming `what` (the folder the file belongs to) when the file is
  ///   missing or not valid JSON.
  public static func read(path: String, what: String) throws(BundleError) -> JSONValue {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw BundleError.notABundle(
        path: what, reason: "\((path as NSString).lastPathComponent) is missing or unreadable")
    }
    do {
      guard let node = try YAMLParser.parse(text, file: path) else { return .null }
      return JSONValue(node)
    } catch {
      throw BundleError.notABundle(
        path: what, reason: "\((path as NSString).lastPathComponent) is not valid JSON: \(error)")
    }
  }

  /// Parses JSON (or YAML) text; nil when it is not valid or empty.
  public static func parse(_ text: String, file: String) -> JSONValue? {
    guard let node = try? YAMLParser.parse(text, file: file) else { return nil }
    return JSONValue(node)
  }

  /// The number (integers included); NaN for null, which is how non-finite numbers are written.
  public var double: Double? {
    switch self {
    case .double(let d): return d
    case .int(let i): return Double(i)
    case .null: return .nan
    default: return nil
    }
  }

  public var int: Int? {
    if case .int(let i) = self { return i }
    return nil
  }

  public var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var bool: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public var array: [JSONValue]? {
    if case .array(let items) = self { return items }
    return nil
  }

  public var entries: [(String, JSONValue)]? {
    if case .object(let entries) = self { return entries }
    return nil
  }

  /// One line of text: scalars as they read (strings unquoted), collections as compact JSON.
  public var plainText: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .double(let d): return Self.format(d)
    case .string(let s): return s
    case .array, .object: return compactText
    }
  }

  /// Compact JSON on one line (`{"a": 1, "b": [1, 2]}`).
  public var compactText: String {
    switch self {
    case .string: return rendered().trimmingCharacters(in: .newlines)
    case .array(let items): return "[" + items.map(\.compactText).joined(separator: ", ") + "]"
    case .object(let entries):
      return "{" + entries.map { JSONValue.string($0.0).compactText + ": " + $0.1.compactText }.joined(separator: ", ")
        + "}"
    default: return plainText
    }
  }

  /// Every leaf with its dotted path (`variants.ucb.policy.params.c`), in order; lists index as `[i]`.
  public var flattened: [(path: String, value: JSONValue)] {
    var out: [(String, JSONValue)] = []
    func walk(_ value: JSONValue, _ path: String) {
      switch value {
      case .object(let entries) where !entries.isEmpty:
        for (key, child) in entries { walk(child, path.isEmpty ? key : path + "." + key) }
      case .array(let items) where !items.isEmpty && !items.allSatisfy({ $0.array == nil && $0.entries == nil }):
        for (i, child) in items.enumerated() { walk(child, "\(path)[\(i)]") }
      default: out.append((path, value))
      }
    }
    walk(self, "")
    return out
  }
}
