/// Builds the node tree from parse events: anchors and aliases, merge keys, duplicate keys and
/// the limits on depth, nodes and aliases. Pure Swift; `LibYAMLEventReader` feeds it.
struct YAMLTreeBuilder {
  /// A finished node with what the limits need to know about it.
  private struct Built {
    var node: YAMLNode
    /// Nodes in the subtree, itself and mapping keys included, aliases counted as expanded.
    var nodeCount: Int
    /// Nesting levels: 0 for a scalar, 1 + the deepest child for a collection.
    var height: Int
  }

  /// A mapping or sequence whose end event has not come yet.
  private struct Frame {
    let isMapping: Bool
    let mark: SourceMark
    let anchor: String?
    var nodeCount = 1
    var height = 1
    var items: [YAMLNode] = []
    var entries: [(key: YAMLScalar, value: YAMLNode)] = []
    /// Merge sources (`<<: *base`), each to be spliced in before `entries[position]`.
    var merges: [(position: Int, sources: [YAMLMapping])] = []
    /// The key waiting for its value; `nil` when the next node is a key.
    var pendingKey: YAMLScalar?
    /// Where each explicit key was first defined.
    var keyMarks: [String: SourceMark] = [:]
  }

  let file: String
  let limits: YAMLLimits
  private var stack: [Frame] = []
  private var anchors: [String: Built] = [:]
  private var nodeCount = 0
  private var aliasCount = 0
  private var documentCount = 0
  private var root: YAMLNode?

  init(file: String, limits: YAMLLimits) {
    self.file = file
    self.limits = limits
  }

  /// The document's root once the stream has ended; `nil` for an empty document.
  var result: YAMLNode? {
    if case .scalar(let scalar) = root, scalar.isPlain, scalar.text.isEmpty {
      return nil
    }
    return root
  }

  /// Takes the next event; returns whether more are wanted.
  mutating func handle(_ event: YAMLEvent) throws(YAMLError) -> Bool {
    switch event {
    case .streamStart, .documentEnd:
      break
    case .streamEnd:
      return false
    case .documentStart(let mark):
      documentCount += 1
      if documentCount > 1 { throw .multipleDocuments(file: file, mark: mark) }
    case .scalar(let scalar, let anchor):
      try count(1, at: scalar.mark, cause: "")
      try add(
        Built(node: .scalar(scalar), nodeCount: 1, height: 0), anchor: anchor,
        mark: scalar.mark)
    case .alias(let name, let mark):
      try expandAlias(name, at: mark)
    case .sequenceStart(let anchor, let mark):
      try open(Frame(isMapping: false, mark: mark, anchor: anchor))
    case .mappingStart(let anchor, let mark):
      try open(Frame(isMapping: true, mark: mark, anchor: anchor))
    case .sequenceEnd, .mappingEnd:
      try close()
    }
    return true
  }

  // MARK: - Implementation details

  private mutating func open(_ frame: Frame) throws(YAMLError) {
    if let top = stack.last, top.isMapping, top.pendingKey == nil {
      throw .nonScalarKey(file: file, mark: frame.mark)
    }
    if stack.count + 1 > limits.maxDepth {
      throw .limitExceeded(
        file: file, mark: frame.mark,
        limit: "more than \(limits.maxDepth) levels of nesting")
    }
    try count(1, at: frame.mark, cause: "")
    stack.append(frame)
  }

  private mutating func close() throws(YAMLError) {
    // libyaml balances start and end events, so the stack is never empty here.
    guard let frame = stack.popLast() else { return }
    let node: YAMLNode =
      frame.isMapping
      ? .mapping(YAMLMapping(entries: Self.merged(frame), mark: frame.mark))
      : .sequence(YAMLSequence(items: frame.items, mark: frame.mark))
    try add(
      Built(node: node, nodeCount: frame.nodeCount, height: frame.height),
      anchor: frame.anchor, mark: frame.mark)
  }

  private mutating func expandAlias(_ name: String, at mark: SourceMark)
    throws(YAMLError)
  {
    aliasCount += 1
    if aliasCount > limits.maxAliasExpansions {
      throw .limitExceeded(
        file: file, mark: mark,
        limit: "more than \(limits.maxAliasExpansions) aliases")
    }
    guard let built = anchors[name] else {
      throw .unknownAlias(file: file, name: name, mark: mark)
    }
    if stack.count + built.height > limits.maxDepth {
      throw .limitExceeded(
        file: file, mark: mark,
        limit:
          "more than \(limits.maxDepth) levels of nesting (alias expansion)")
    }
    try count(built.nodeCount, at: mark, cause: " (alias expansion)")
    try add(built, anchor: nil, mark: mark)
  }

  private mutating func count(_ nodes: Int, at mark: SourceMark, cause: String)
    throws(YAMLError)
  {
    nodeCount += nodes
    if nodeCount > limits.maxNodes {
      throw .limitExceeded(
        file: file, mark: mark,
        limit: "more than \(limits.maxNodes) nodes\(cause)")
    }
  }

  /// Records `built` under its anchor and places it in the open collection (or as the root).
  private mutating func add(_ built: Built, anchor: String?, mark: SourceMark)
    throws(YAMLError)
  {
    if let anchor { anchors[anchor] = built }
    let top = stack.count - 1
    guard top >= 0 else {
      root = built.node
      return
    }
    stack[top].nodeCount += built.nodeCount
    guard stack[top].isMapping else {
      stack[top].items.append(built.node)
      stack[top].height = max(stack[top].height, built.height + 1)
      return
    }
    guard let key = stack[top].pendingKey else {
      guard case .scalar(let key) = built.node else {
        throw .nonScalarKey(file: file, mark: mark)
      }
      if !key.isMergeKey {
        if let first = stack[top].keyMarks[key.text] {
          throw .duplicateKey(
            file: file, key: key.text, mark: key.mark, firstMark: first)
        }
        stack[top].keyMarks[key.text] = key.mark
      }
      stack[top].pendingKey = key
      return
    }
    stack[top].pendingKey = nil
    if key.isMergeKey {
      let sources = try mergeSources(built.node)
      stack[top].merges.append((stack[top].entries.count, sources))
      // Merged values sit one level higher than in their source mapping (or list of mappings).
      stack[top].height = max(stack[top].height, built.height)
    } else {
      stack[top].entries.append((key, built.node))
      stack[top].height = max(stack[top].height, built.height + 1)
    }
  }

  /// The mappings a merge key's value brings in: one mapping, or a list of mappings.
  private func mergeSources(_ value: YAMLNode) throws(YAMLError)
    -> [YAMLMapping]
  {
    switch value {
    case .mapping(let mapping):
      return [mapping]
    case .sequence(let sequence):
      var sources: [YAMLMapping] = []
      for item in sequence.items {
        guard case .mapping(let mapping) = item else { throw badMerge(item) }
        sources.append(mapping)
      }
      return sources
    case .scalar:
      throw badMerge(value)
    }
  }

  private func badMerge(_ node: YAMLNode) -> YAMLError {
    .syntax(
      file: file, mark: node.mark,
      message:
        "merge key '<<' takes a mapping or a list of mappings, not \(node.kindName)"
    )
  }

  /// The mapping's entries with merged ones spliced in: explicit keys win over merged ones, and
  /// among merged sources the earlier one wins.
  private static func merged(_ frame: Frame) -> [(
    key: YAMLScalar, value: YAMLNode
  )] {
    guard !frame.merges.isEmpty else { return frame.entries }
    var taken = Set(frame.keyMarks.keys)
    var result: [(key: YAMLScalar, value: YAMLNode)] = []
    var merges = frame.merges[...]
    for position in 0...frame.entries.count {
      while let merge = merges.first, merge.position == position {
        merges = merges.dropFirst()
        for source in merge.sources {
          for entry in source.entries
          where taken.insert(entry.key.text).inserted {
            result.append(entry)
          }
        }
      }
      if position < frame.entries.count {
        result.append(frame.entries[position])
      }
    }
    return result
  }
}
