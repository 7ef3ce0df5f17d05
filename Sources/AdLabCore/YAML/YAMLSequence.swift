/// A YAML sequence (a list) of nodes.
public struct YAMLSequence: Sendable, Equatable {
  /// The items in source order.
  public var items: [YAMLNode]
  /// Where the sequence starts: its `[`, or its first `-` in block style.
  public var mark: SourceMark

  public init(items: [YAMLNode], mark: SourceMark) {
    self.items = items
    self.mark = mark
  }
}
