/// Reads a YAML mapping strictly: each key is taken at most once, and `finish` reports every key
/// nobody took as unknown, with the nearest known key as a suggestion.
public final class MappingReader {
  public let mapping: YAMLMapping
  public let path: String
  public let sink: DiagnosticSink
  private var taken: Set<String> = []

  /// Nil (with an error recorded) when the node is not a mapping.
  public init?(_ node: YAMLNode, path: String, sink: DiagnosticSink) {
    guard case .mapping(let mapping) = node else {
      sink.error("expected a mapping, found \(node.kindName)", at: node.mark, path: path)
      return nil
    }
    self.mapping = mapping
    self.path = path
    self.sink = sink
  }

  /// The value of `key`, if present.
  public func take(_ key: String) -> YAMLNode? {
    taken.insert(key)
    return mapping[key]
  }

  /// The value of a required key; records "missing key" at the mapping when absent.
  public func require(_ key: String, hint: String? = nil) -> YAMLNode? {
    if let value = take(key) { return value }
    sink.error("missing required key '\(key)'", at: mapping.mark, path: path, suggestion: hint)
    return nil
  }

  /// Decodes an optional key into a typed value (nil when absent or wrong).
  public func decode<V: ParameterValue>(
    _ key: String, as type: V.Type = V.self, _ constraint: ParameterConstraint<V>? = nil
  ) -> V? {
    guard let node = take(key) else { return nil }
    let keyPath = joinPath(path, key)
    guard let value = V.decode(node, path: keyPath, sink: sink) else { return nil }
    if let problem = constraint?.problem(value) {
      sink.error(problem, at: node.mark, path: keyPath)
      return nil
    }
    return value
  }

  /// Decodes a required key: records "missing key" (with the hint) when absent.
  public func decodeRequired<V: ParameterValue>(
    _ key: String, as type: V.Type = V.self, _ constraint: ParameterConstraint<V>? = nil, hint: String
  ) -> V? {
    guard mapping[key] != nil else {
      taken.insert(key)
      sink.error("missing required key '\(key)'", at: mapping.mark, path: path, suggestion: hint)
      return nil
    }
    return decode(key, as: type, constraint)
  }

  /// Reports every key that was not taken.
  public func finish(known: [String]) {
    for (key, _) in mapping.entries where !taken.contains(key.text) {
      let suggestion =
        NameSuggestion.didYouMean(key.text, in: known)
        ?? (known.isEmpty ? "this mapping takes no keys" : "known keys: " + known.joined(separator: ", "))
      sink.error("unknown key '\(key.text)'", at: key.mark, path: joinPath(path, key.text), suggestion: suggestion)
    }
  }
}

extension YAMLNode {
  /// True for a plain `null`, `~` or empty scalar.
  public var isNull: Bool {
    if case .scalar(let scalar) = self, scalar.resolved == .null { return true }
    return false
  }
}
