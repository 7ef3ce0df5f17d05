/// A YAML scalar as written: its text, whether it was plain, its explicit tag, and its mark.
public struct YAMLScalar: Hashable, Sendable {
  /// The scalar's content after unquoting, escape processing and line folding.
  public var text: String
  /// `true` when the scalar was unquoted and carried no explicit tag, so its type comes from its text.
  public var isPlain: Bool
  /// The explicit tag in full form (`!!int` is `tag:yaml.org,2002:int`), or `nil`.
  public var tag: String?
  /// Where the scalar starts (at its opening quote for quoted scalars).
  public var mark: SourceMark

  public init(
    text: String, isPlain: Bool = true, tag: String? = nil, mark: SourceMark
  ) {
    self.text = text
    self.isPlain = isPlain
    self.tag = tag
    self.mark = mark
  }
}

/// The value of a scalar under the YAML 1.2 core schema.
public enum ResolvedScalar: Hashable, Sendable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
}

// MARK: - Tags

extension YAMLScalar {
  static let strTag = "tag:yaml.org,2002:str"
  static let intTag = "tag:yaml.org,2002:int"
  static let floatTag = "tag:yaml.org,2002:float"
  static let boolTag = "tag:yaml.org,2002:bool"
  static let nullTag = "tag:yaml.org,2002:null"
  static let mergeTag = "tag:yaml.org,2002:merge"

  /// Whether this scalar, used as a mapping key, is the merge key `<<`.
  var isMergeKey: Bool {
    (isPlain && text == "<<") || tag == Self.mergeTag
  }
}
