/// A YAML mapping: scalar keys with their values, in source order.
///
/// Keys are unique by text. Entries brought in by a merge key (`<<: *base`) stand where the `<<`
/// key stood, minus those the mapping sets explicitly; they keep the marks of their source.
public struct YAMLMapping: Sendable, Equatable {
  /// The entries in source order.
  public var entries: [(key: YAMLScalar, value: YAMLNode)]
  /// Where the mapping starts: its `{`, or its first key in block style.
  public var mark: SourceMark

  public init(entries: [(key: YAMLScalar, value: YAMLNode)], mark: SourceMark) {
    self.entries = entries
    self.mark = mark
  }

  /// The value for the key whose text is `key`, or `nil`.
  ///
  /// - Complexity: O(*n*) in the number of entries.
  public subscript(key: String) -> YAMLNode? {
    entries.first { $0.key.text == key }?.value
  }

  /// The keys' texts in source order.
  public var keys: [String] { entries.map(\.key.text) }

  public static func == (lhs: YAMLMapping, rhs: YAMLMapping) -> Bool {
    lhs.mark == rhs.mark
      && lhs.entries.elementsEqual(rhs.entries) {
        $0.key == $1.key && $0.value == $1.value
      }
  }
}
