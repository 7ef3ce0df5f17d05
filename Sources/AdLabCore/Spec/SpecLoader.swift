import Foundation

/// A spec as loaded from a file: the decoded experiment and the exact text it came from.
public struct LoadedSpec: Sendable {
  public var spec: ExperimentSpec
  /// The file's text as given (copied into the bundle as spec.yaml).
  public var sourceText: String
  public var file: String
  public var overrides: [String]
  /// The YAML tree after the single-valued overrides, `sweep:` block included: what sweep cells start from.
  public var tree: YAMLNode
}

/// Reads spec files: YAML text → node tree → overrides → strictly decoded `ExperimentSpec`.
public enum SpecLoader {
  /// Loads the spec at `path`. Throws `SpecError` listing every problem, or `YAMLError` for unreadable YAML.
  ///
  /// With `allowSweeps`, a `--set` whose value sweeps (`a=1,2`, `range(…)`, …) becomes an axis of the spec's
  /// sweep (of its random sweep if it has one, else of its grid); without, it is an error.
  public static func load(path: String, overrides: [String] = [], registry: PluginRegistry, allowSweeps: Bool = false)
    throws -> LoadedSpec
  {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SpecError([
        SpecDiagnostic(
          file: path, mark: SourceMark(line: 1, column: 1), keyPath: "",
          message: FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file",
          suggestion: "give the path of a spec, e.g. experiments/quickstart.yaml")
      ])
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw SpecError([
        SpecDiagnostic(
          file: path, mark: SourceMark(line: 1, column: 1), keyPath: "", message: "the file is not UTF-8 text")
      ])
    }
    return try load(text: text, file: path, overrides: overrides, registry: registry, allowSweeps: allowSweeps)
  }

  /// Loads a spec from its text; `file` names it in messages.
  public static func load(
    text: String, file: String, overrides: [String] = [], registry: PluginRegistry, allowSweeps: Bool = false
  ) throws -> LoadedSpec {
    guard var root = try YAMLParser.parse(text, file: file) else {
      throw SpecError([
        SpecDiagnostic(
          file: file, mark: SourceMark(line: 1, column: 1), keyPath: "", message: "the spec is empty",
          suggestion: "see experiments/quickstart.yaml for a complete example")
      ])
    }
    var sweepOverrides: [(Override, Int)] = []
    for (index, argument) in overrides.enumerated() {
      let override = try Override(parsing: argument)
      if allowSweeps && override.expression.isSweep {
        sweepOverrides.append((override, index))
      } else {
        try override.apply(to: &root, index: index)
      }
    }
    let sink = DiagnosticSink(file: file, overrides: overrides)
    guard var spec = ExperimentSpec.decode(root, registry: registry, sink: sink) else {
      throw SpecError(sink.diagnostics, source: (file, text))
    }
    if !sweepOverrides.isEmpty {
      var sweep = spec.sweep ?? SweepSpec()
      for (override, index) in sweepOverrides {
        let values: SweepSpec.Values
        do {
          values = try SweepSpec.values(
            of: override.expression, file: override.file, line: -index, columnOffset: 0, keyPath: override.key,
            continuousAllowed: sweep.isRandom)
        } catch let error as OverrideSyntaxError {
          throw SpecError([
            SpecDiagnostic(
              file: override.file, mark: SourceMark(line: 1, column: error.column), keyPath: override.key,
              message: error.message, suggestion: error.suggestion)
          ])
        }
        let axis = SweepSpec.Axis(path: override.path, values: values, mark: SourceMark(line: -index, column: 1))
        if sweep.isRandom { sweep.random.append(axis) } else { sweep.grid.append(axis) }
      }
      spec.sweep = sweep
    }
    return LoadedSpec(spec: spec, sourceText: text, file: file, overrides: overrides, tree: root)
  }
}
