/// A parameter whose value is one of a fixed set of words. A `String`-backed `CaseIterable` enum that declares
/// `EnumParameter` is read, checked, listed and written by this one conformance: a plugin keeps the enum in its
/// `Params` instead of a string it re-parses later (with a silent fallback for a word it does not know).
///
/// A word outside the enum is a spec error at the value's `file:line:column` that lists the allowed words and the
/// closest one; resolved.json holds the raw value, as it did when the parameter was a string.
public protocol EnumParameter: ParameterValue, RawRepresentable, CaseIterable where RawValue == String {}

extension EnumParameter {
  /// The allowed words, in declaration order.
  public static var choices: [String] { allCases.map(\.rawValue) }

  public static var typeDescription: String { "one of: " + choices.joined(separator: ", ") }

  public static func decode(_ node: YAMLNode, path: String, sink: DiagnosticSink) -> Self? {
    guard case .scalar(let scalar) = node, scalar.resolved != .null else {
      return mismatch(node, path: path, sink: sink)
    }
    if let value = Self(rawValue: scalar.text) { return value }
    sink.error(
      "'\(scalar.text)' is not allowed; use one of: " + choices.joined(separator: ", "), at: node.mark, path: path,
      suggestion: NameSuggestion.didYouMean(scalar.text, in: choices))
    return nil
  }

  public var json: JSONValue { .string(rawValue) }
}
