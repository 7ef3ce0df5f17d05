/// A command-line override, `--set key.path=value`, applied to a spec's YAML tree before it is decoded,
/// so an override is checked exactly like the same key written in the file.
///
/// The value follows Hydra's grammar (see `SweepExpression`): one value for `adlab run`, or a sweep axis
/// (`a=1,2,3`, `range(…)`, `choice(…)`, `uniform(…)`, `loguniform(…)`) for `adlab sweep`.
public struct Override: Sendable, Equatable {
  /// Keys from the root, e.g. ["variants", "ucb", "policy", "params", "c"].
  public var path: [String]
  /// What follows the `=`.
  public var expression: SweepExpression
  /// The argument as the user typed it, to name it in errors.
  public var argument: String

  /// The file name diagnostics about this argument carry: `--set key=value`.
  public var file: String { "--set \(argument)" }

  /// The dotted key path.
  public var key: String { path.joined(separator: ".") }

  /// Parses `key.path=value`.
  ///
  /// - Throws: `SpecError` naming the argument and the column of the mistake.
  public init(parsing argument: String) throws(SpecError) {
    let file = "--set \(argument)"
    func fail(_ column: Int, _ message: String, _ suggestion: String? = nil) -> SpecError {
      SpecError([
        SpecDiagnostic(
          file: file, mark: SourceMark(line: 1, column: column), keyPath: "", message: message, suggestion: suggestion)
      ])
    }
    let scalars = Array(argument.unicodeScalars)
    guard let equals = scalars.firstIndex(of: "=") else {
      throw fail(scalars.count + 1, "an override has the form key.path=value", "e.g. --set horizon=20000")
    }
    let keys: [String]
    do {
      keys = try Self.parseKeyPath(String(String.UnicodeScalarView(scalars[..<equals])), column: 1)
    } catch {
      throw fail(error.column, error.message, error.suggestion)
    }
    self.path = keys
    self.argument = argument
    let valueText = String(String.UnicodeScalarView(scalars[(equals + 1)...]))
    do {
      self.expression = try SweepExpression.parse(valueText, column: equals + 2)
    } catch {
      throw fail(error.column, error.message, error.suggestion)
    }
  }

  /// Parses a dotted key path (`variants.ucb.policy.params.c`); `column` is where it starts.
  ///
  /// - Throws: `OverrideSyntaxError` at the column of the first mistake.
  static func parseKeyPath(_ text: String, column: Int) throws(OverrideSyntaxError) -> [String] {
    let scalars = Array(text.unicodeScalars)
    guard !scalars.isEmpty else {
      throw OverrideSyntaxError(column: column, message: "the key path is empty", suggestion: "e.g. horizon=20000")
    }
    var keys: [String] = []
    var current = ""
    for (i, c) in scalars.enumerated() {
      if c == "." {
        if current.isEmpty {
          throw OverrideSyntaxError(
            column: column + i, message: "empty key in path '\(text)'", suggestion: "keys are separated by single dots")
        }
        keys.append(current)
        current = ""
      } else if c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" {
        current.unicodeScalars.append(c)
      } else {
        throw OverrideSyntaxError(
          column: column + i, message: "'\(c)' cannot appear in a key",
          suggestion: "keys use letters, digits, '_' and '-', separated by dots")
      }
    }
    if current.isEmpty {
      throw OverrideSyntaxError(column: column + scalars.count - 1, message: "the key path ends with a dot")
    }
    keys.append(current)
    return keys
  }

  /// Sets the (single) value in `root`. Nodes it adds carry marks on line `-index` (see
  /// `DiagnosticSink.overrides`), so later errors about them name the `--set` argument.
  ///
  /// - Throws: `SpecError` when the value is a sweep or not valid YAML, or the path crosses a non-mapping.
  func apply(to root: inout YAMLNode, index: Int) throws(SpecError) {
    guard case .single(let item) = expression else {
      throw SpecError([
        SpecDiagnostic(
          file: file, mark: SourceMark(line: 1, column: path.joined(separator: ".").count + 2), keyPath: key,
          message: "'\(argument)' sweeps over several values",
          suggestion: "run it with `adlab sweep`, or give one value")
      ])
    }
    let value = try SweepValues.node(item, file: file, line: -index, columnOffset: 0, keyPath: key)
    try root.set(value, at: path, createdMark: SourceMark(line: -index, column: 1), file: file)
  }
}

extension YAMLNode {
  /// Sets `value` at `keys`, creating intermediate mappings (marked `createdMark`) as needed.
  /// `policy: ucb1` is shorthand for `policy: { plugin: ucb1 }`; it is expanded so its params can be set.
  ///
  /// - Throws: `SpecError` (in `file`) when the path crosses a scalar or list.
  mutating func set(_ value: YAMLNode, at keys: [String], createdMark: SourceMark, file: String) throws(SpecError) {
    try set(value, at: keys[...], createdMark: createdMark, file: file, walked: [])
  }

  private mutating func set(
    _ value: YAMLNode, at keys: ArraySlice<String>, createdMark: SourceMark, file: String, walked: [String]
  ) throws(SpecError) {
    guard let key = keys.first else {
      self = value
      return
    }
    if case .scalar(let name) = self, key == "params" || key == "plugin" {
      self = .mapping(
        YAMLMapping(entries: [(key: YAMLScalar(text: "plugin", mark: name.mark), value: self)], mark: name.mark))
    }
    guard case .mapping(var mapping) = self else {
      throw SpecError([
        SpecDiagnostic(
          file: file, mark: createdMark.line <= 0 ? SourceMark(line: 1, column: 1) : createdMark,
          keyPath: walked.joined(separator: "."),
          message: "cannot set '\(key)' inside \(kindName)", suggestion: "only mapping keys can be overridden")
      ])
    }
    if let position = mapping.entries.firstIndex(where: { $0.key.text == key }) {
      try mapping.entries[position].value.set(
        value, at: keys.dropFirst(), createdMark: createdMark, file: file, walked: walked + [key])
    } else {
      var child: YAMLNode = .mapping(YAMLMapping(entries: [], mark: createdMark))
      try child.set(value, at: keys.dropFirst(), createdMark: createdMark, file: file, walked: walked + [key])
      mapping.entries.append((key: YAMLScalar(text: key, isPlain: true, tag: nil, mark: createdMark), value: child))
    }
    self = .mapping(mapping)
  }

  /// The same tree with every mark moved to `line`, columns shifted by `columnOffset`.
  func relocated(toLine line: Int, columnOffset: Int = 0) -> YAMLNode {
    func move(_ mark: SourceMark) -> SourceMark { SourceMark(line: line, column: mark.column + columnOffset) }
    func move(_ scalar: YAMLScalar) -> YAMLScalar {
      var copy = scalar
      copy.mark = move(scalar.mark)
      return copy
    }
    switch self {
    case .scalar(let scalar): return .scalar(move(scalar))
    case .sequence(let sequence):
      return .sequence(
        YAMLSequence(
          items: sequence.items.map { $0.relocated(toLine: line, columnOffset: columnOffset) },
          mark: move(sequence.mark)))
    case .mapping(let mapping):
      return .mapping(
        YAMLMapping(
          entries: mapping.entries.map {
            (key: move($0.key), value: $0.value.relocated(toLine: line, columnOffset: columnOffset))
          },
          mark: move(mapping.mark)))
    }
  }
}
