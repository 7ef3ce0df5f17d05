/// Bounds that keep a hostile or broken YAML file from exhausting time or memory.
public struct YAMLLimits: Sendable, Equatable {
  /// The largest accepted input, in bytes (UTF-8); checked before parsing.
  public var maxBytes: Int
  /// The deepest accepted nesting of mappings and sequences, alias expansions included.
  public var maxDepth: Int
  /// The most nodes a document may hold, counting every node an alias expands to.
  public var maxNodes: Int
  /// The most aliases (`*name`) a document may use.
  public var maxAliasExpansions: Int

  public init(
    maxBytes: Int = 4 << 20,
    maxDepth: Int = 64,
    maxNodes: Int = 1_000_000,
    maxAliasExpansions: Int = 10_000
  ) {
    self.maxBytes = maxBytes
    self.maxDepth = maxDepth
    self.maxNodes = maxNodes
    self.maxAliasExpansions = maxAliasExpansions
  }

  /// 4 MiB, depth 64, 1 000 000 nodes, 10 000 aliases.
  public static let `default` = YAMLLimits()
}
