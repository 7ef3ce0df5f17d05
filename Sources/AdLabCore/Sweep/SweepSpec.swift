/// The `sweep:` block of a spec: which keys vary, over which values, and how they combine.
///
/// ```yaml
/// sweep:
///   grid:                     # every combination (the first key varies slowest)
///     variants.ucb.policy.params.c: [0.5, 1, 2]
///     batch: "range(100, 400, 100)"
///   zip:                      # paired lists of equal length, crossed with the grid
///     horizon: [5000, 10000]
///     report_every: [500, 1000]
///   random:                   # instead of grid/zip: n seeded samples
///     samples: 8
///     seed: 3                 # default: the spec's seed
///     params:
///       variants.eg.policy.params.epsilon: "loguniform(0.01, 0.5)"
///       variants.ucb.policy.params.c: "choice(0.5, 1, 2)"
/// ```
///
/// A value is a YAML list, or a string in the override grammar (`SweepExpression`), or one value.
public struct SweepSpec: Sendable {
  /// The values one swept key takes.
  public enum Values: Sendable {
    case discrete([YAMLNode])
    case uniform(low: Double, high: Double)
    case logUniform(low: Double, high: Double)
  }

  /// One swept key.
  public struct Axis: Sendable {
    public var path: [String]
    public var values: Values
    /// Where the key was written (in the spec file, or line `-i` for the `i`th `--set`).
    public var mark: SourceMark
    public var key: String { path.joined(separator: ".") }
  }

  public var grid: [Axis] = []
  public var zip: [Axis] = []
  public var random: [Axis] = []
  /// Number of random samples (random sweeps only).
  public var samples = 0
  /// Seed of the random sampler; nil means the spec's seed.
  public var seed: UInt64?

  public var isRandom: Bool { !random.isEmpty }
  public var isEmpty: Bool { grid.isEmpty && zip.isEmpty && random.isEmpty }

  /// "grid", "zip", "grid × zip" or "random".
  public var kind: String {
    if isRandom { return "random" }
    return [grid.isEmpty ? nil : "grid", zip.isEmpty ? nil : "zip"].compactMap { $0 }.joined(separator: " × ")
  }

  /// Every swept key in order.
  public var axes: [Axis] { grid + zip + random }
}

// MARK: - Decoding

extension SweepSpec {
  /// Decodes the `sweep:` block strictly, recording every problem (with its place) in `sink`.
  static func decode(_ node: YAMLNode, sink: DiagnosticSink) -> SweepSpec? {
    guard let top = MappingReader(node, path: "sweep", sink: sink) else { return nil }
    let before = sink.diagnostics.count
    var spec = SweepSpec()
    if let grid = top.take("grid") { spec.grid = axes(grid, path: "sweep.grid", continuousAllowed: false, sink: sink) }
    if let zipNode = top.take("zip") {
      spec.zip = axes(zipNode, path: "sweep.zip", continuousAllowed: false, sink: sink)
      let lengths = spec.zip.map { axis -> Int in
        if case .discrete(let v) = axis.values { return v.count }
        return 0
      }
      if Set(lengths).count > 1 {
        sink.error(
          "zip lists must have equal lengths; got "
            + Swift.zip(spec.zip, lengths).map { "\($0.key): \($1)" }.joined(separator: ", "),
          at: zipNode.mark, path: "sweep.zip",
          suggestion: "zip pairs the i-th values of every list; use grid for every combination")
      }
    }
    if let random = top.take("random"), let reader = MappingReader(random, path: "sweep.random", sink: sink) {
      if let params = reader.require(
        "params", hint: "e.g. params: { variants.ucb.policy.params.c: \"loguniform(0.1, 10)\" }")
      {
        spec.random = axes(params, path: "sweep.random.params", continuousAllowed: true, sink: sink)
      }
      if reader.require("samples", hint: "e.g. samples: 20") != nil {
        spec.samples = reader.decode("samples", as: Int.self, .range(1...100_000)) ?? 0
      }
      spec.seed = reader.decode("seed", as: Int.self, .atLeast(0)).map(UInt64.init)
      reader.finish(known: ["params", "samples", "seed"])
      if !spec.grid.isEmpty || !spec.zip.isEmpty {
        sink.error(
          "a random sweep cannot be combined with grid or zip", at: random.mark, path: "sweep.random",
          suggestion: "list discrete values with choice(...) inside random.params instead")
      }
    }
    top.finish(known: ["grid", "zip", "random"])
    if spec.isEmpty && sink.diagnostics.count == before {
      sink.error(
        "the sweep varies nothing", at: node.mark, path: "sweep",
        suggestion: "add grid:, zip: or random: with at least one key")
    }
    return sink.diagnostics.count == before ? spec : nil
  }

  private static func axes(_ node: YAMLNode, path: String, continuousAllowed: Bool, sink: DiagnosticSink) -> [Axis] {
    guard case .mapping(let mapping) = node else {
      sink.error(
        "expected a mapping of key paths to values, found \(node.kindName)", at: node.mark, path: path,
        suggestion: "e.g. { variants.ucb.policy.params.c: [0.5, 1, 2] }")
      return []
    }
    var result: [Axis] = []
    for (key, value) in mapping.entries {
      let keyPath = path + "." + key.text
      let keys: [String]
      do {
        keys = try Override.parseKeyPath(key.text, column: 1)
      } catch {
        sink.error(
          error.message, at: SourceMark(line: key.mark.line, column: key.mark.column + error.column - 1), path: keyPath,
          suggestion: error.suggestion)
        continue
      }
      if keys[0] == "sweep" {
        sink.error("a sweep cannot vary its own sweep block", at: key.mark, path: keyPath)
        continue
      }
      if let values = axisValues(value, keyPath: keyPath, continuousAllowed: continuousAllowed, sink: sink) {
        result.append(Axis(path: keys, values: values, mark: key.mark))
      }
    }
    return result
  }

  private static func axisValues(_ node: YAMLNode, keyPath: String, continuousAllowed: Bool, sink: DiagnosticSink)
    -> Values?
  {
    switch node {
    case .sequence(let sequence):
      guard !sequence.items.isEmpty else {
        sink.error("the list of values is empty", at: node.mark, path: keyPath)
        return nil
      }
      return .discrete(sequence.items)
    case .mapping:
      sink.error(
        "expected a list of values or a sweep expression, found a mapping", at: node.mark, path: keyPath,
        suggestion: "write [value1, value2] or \"range(0, 1, 0.25)\"; to sweep over mappings, list them: [{...}, {...}]"
      )
      return nil
    case .scalar(let scalar):
      guard scalar.resolved.isString || scalar.isPlain == false else { return .discrete([node]) }
      let offset = scalar.mark.column - 1 + (scalar.isPlain ? 0 : 1)
      do {
        let expression = try SweepExpression.parse(scalar.text)
        return try values(
          of: expression, file: sink.file, line: scalar.mark.line, columnOffset: offset, keyPath: keyPath,
          continuousAllowed: continuousAllowed)
      } catch let error as OverrideSyntaxError {
        sink.error(
          error.message, at: SourceMark(line: scalar.mark.line, column: offset + error.column), path: keyPath,
          suggestion: error.suggestion)
      } catch let error as SpecError {
        for d in error.diagnostics { sink.error(d.message, at: d.mark, path: d.keyPath, suggestion: d.suggestion) }
      } catch {
        sink.error("\(error)", at: scalar.mark, path: keyPath)
      }
      return nil
    }
  }

  /// The values of a parsed expression; a continuous one only where `continuousAllowed`.
  static func values(
    of expression: SweepExpression, file: String, line: Int, columnOffset: Int, keyPath: String, continuousAllowed: Bool
  ) throws -> Values {
    switch expression {
    case .uniform(let low, let high, let column), .logUniform(let low, let high, let column):
      guard continuousAllowed else {
        throw OverrideSyntaxError(
          column: column,
          message: "uniform(), interval() and loguniform() draw at random; they work only in a random sweep",
          suggestion: "use range() or a list for a grid, or move the key to sweep.random.params")
      }
      if case .logUniform = expression { return .logUniform(low: low, high: high) }
      return .uniform(low: low, high: high)
    default:
      return .discrete(
        try SweepValues.discrete(expression, file: file, line: line, columnOffset: columnOffset, keyPath: keyPath))
    }
  }
}

extension ResolvedScalar {
  var isString: Bool {
    if case .string = self { return true }
    return false
  }
}
