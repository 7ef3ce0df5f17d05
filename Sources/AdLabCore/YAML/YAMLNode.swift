/// A node of a parsed YAML document: a scalar, a mapping or a sequence, each with its source mark.
///
/// Aliases are already expanded: an alias is a copy (sharing storage) of the node its anchor named.
public indirect enum YAMLNode: Sendable, Equatable {
  case scalar(YAMLScalar)
  case mapping(YAMLMapping)
  case sequence(YAMLSequence)

  /// Where the node starts in its source.
  public var mark: SourceMark {
    switch self {
    case .scalar(let scalar): scalar.mark
    case .mapping(let mapping): mapping.mark
    case .sequence(let sequence): sequence.mark
    }
  }

  /// What the node is, with an article, for messages such as "expected a list, found a string".
  ///
  /// Scalars are named by their resolved type: "null", "a boolean", "an integer", "a number",
  /// "a string"; collections are "a mapping" and "a list".
  public var kindName: String {
    switch self {
    case .scalar(let scalar):
      switch scalar.resolved {
      case .null: "null"
      case .bool: "a boolean"
      case .int: "an integer"
      case .double: "a number"
      case .string: "a string"
      }
    case .mapping: "a mapping"
    case .sequence: "a list"
    }
  }

  /// The scalar, if this node is one.
  public var scalar: YAMLScalar? {
    if case .scalar(let scalar) = self { scalar } else { nil }
  }

  /// The mapping, if this node is one.
  public var mapping: YAMLMapping? {
    if case .mapping(let mapping) = self { mapping } else { nil }
  }

  /// The sequence, if this node is one.
  public var sequence: YAMLSequence? {
    if case .sequence(let sequence) = self { sequence } else { nil }
  }
}
