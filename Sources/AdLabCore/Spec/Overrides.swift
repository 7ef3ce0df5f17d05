/// Command-line overrides (`--set key.path=value`) applied to a spec's YAML tree before it is decoded,
/// so an override is checked exactly like the same key written in the file.
public struct Override: Sendable, Equatable {
  /// Keys from the root, e.g. ["variants", "ucb", "policy", "params", "c"].
  public var path: [String]
  /// The value, parsed as YAML (so `0.5`, `true`, `[1, 2]` and `{a: 1}` all work).
  public var valueText: String
  /// The argument as the user typed it, to name it in errors.
  public var argument: String

  /// Parses `key.path=value`.
  public init(parsing argument: String) throws(SpecError) {
    let file = "--set \(argument)"
    guard let equals = argument.firstIndex(of: "=") else {
      throw SpecError([SpecDiagnostic(
        file: file, mark: SourceMark(line: 1, column: 1), keyPath: "",
        message: "an override has the form key.path=value", suggestion: "e.g. --set horizon=20000")])
    }
    let keys = argument[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    if let emptyIndex = keys.firstIndex(where: \.isEmpty) {
      throw SpecError([SpecDiagnostic(
        file: file, mark: SourceMark(line: 1, column: 1 + keys[..<emptyIndex].reduce(0) { $0 + $1.count + 1 }),
        keyPath: "", message: "empty key in path '\(argument[..<equals])'", suggestion: "keys are separated by single dots")])
    }
    self.path = keys
    self.valueText = String(argument[argument.index(after: equals)...])
    self.argument = argument
  }

  /// Sets the value in `root`, creating intermediate mappings as needed. Nodes it adds carry marks on
  /// line `-index` (see `DiagnosticSink.overrides`), so later errors about them name the `--set` argument.
  func apply(to root: inout YAMLNode, index: Int) throws(SpecError) {
    let file = "--set \(argument)"
    let value: YAMLNode
    do {
      value = try YAMLParser.parse(valueText, file: file)
        ?? .scalar(YAMLScalar(text: "", isPlain: true, tag: nil, mark: SourceMark(line: 1, column: 1)))
    } catch {
      throw SpecError([SpecDiagnostic(
        file: file, mark: SourceMark(line: 1, column: 1), keyPath: path.joined(separator: "."),
        message: "the value is not valid YAML: \(error)")])
    }
    try Self.set(value.relocated(toLine: -index), at: path[...], in: &root, walked: [], file: file, index: index)
  }

  private static func set(_ value: YAMLNode, at keys: ArraySlice<String>, in node: inout YAMLNode, walked: [String], file: String, index: Int) throws(SpecError) {
    guard let key = keys.first else {
      node = value
      return
    }
    // `policy: ucb1` is shorthand for `policy: { plugin: ucb1 }`; expand it so its params can be set.
    if case .scalar(let name) = node, key == "params" || key == "plugin" {
      node = .mapping(YAMLMapping(entries: [(key: YAMLScalar(text: "plugin", mark: name.mark), value: node)], mark: name.mark))
    }
    guard case .mapping(var mapping) = node else {
      throw SpecError([SpecDiagnostic(
        file: file, mark: SourceMark(line: 1, column: 1), keyPath: walked.joined(separator: "."),
        message: "cannot set '\(key)' inside \(node.kindName)", suggestion: "only mapping keys can be overridden")])
    }
    let mark = SourceMark(line: -index, column: 1)
    if let position = mapping.entries.firstIndex(where: { $0.key.text == key }) {
      try set(value, at: keys.dropFirst(), in: &mapping.entries[position].value, walked: walked + [key], file: file, index: index)
    } else {
      var child: YAMLNode = .mapping(YAMLMapping(entries: [], mark: mark))
      try set(value, at: keys.dropFirst(), in: &child, walked: walked + [key], file: file, index: index)
      mapping.entries.append((key: YAMLScalar(text: key, isPlain: true, tag: nil, mark: mark), value: child))
    }
    node = .mapping(mapping)
  }
}

extension YAMLNode {
  /// The same tree with every mark moved to `line` (columns kept).
  func relocated(toLine line: Int) -> YAMLNode {
    func move(_ mark: SourceMark) -> SourceMark { SourceMark(line: line, column: mark.column) }
    func move(_ scalar: YAMLScalar) -> YAMLScalar {
      var copy = scalar
      copy.mark = move(scalar.mark)
      return copy
    }
    switch self {
    case .scalar(let scalar): return .scalar(move(scalar))
    case .sequence(let sequence):
      return .sequence(YAMLSequence(items: sequence.items.map { $0.relocated(toLine: line) }, mark: move(sequence.mark)))
    case .mapping(let mapping):
      return .mapping(YAMLMapping(
        entries: mapping.entries.map { (key: move($0.key), value: $0.value.relocated(toLine: line)) }, mark: move(mapping.mark)))
    }
  }
}
