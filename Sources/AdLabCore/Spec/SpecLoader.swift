import Foundation

/// A spec as loaded from a file: the decoded experiment and the exact text it came from.
public struct LoadedSpec: Sendable {
  public var spec: ExperimentSpec
  /// The file's text as given (copied into the bundle as spec.yaml).
  public var sourceText: String
  public var file: String
  public var overrides: [String]
}

/// Reads spec files: YAML text → node tree → overrides → strictly decoded `ExperimentSpec`.
public enum SpecLoader {
  /// Loads the spec at `path`. Throws `SpecError` listing every problem, or `YAMLError` for unreadable YAML.
  public static func load(path: String, overrides: [String] = [], registry: PluginRegistry) throws -> LoadedSpec {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SpecError([SpecDiagnostic(
        file: path, mark: SourceMark(line: 1, column: 1), keyPath: "",
        message: FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file",
        suggestion: "give the path of a spec, e.g. experiments/quickstart.yaml")])
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw SpecError([SpecDiagnostic(file: path, mark: SourceMark(line: 1, column: 1), keyPath: "", message: "the file is not UTF-8 text")])
    }
    return try load(text: text, file: path, overrides: overrides, registry: registry)
  }

  /// Loads a spec from its text; `file` names it in messages.
  public static func load(text: String, file: String, overrides: [String] = [], registry: PluginRegistry) throws -> LoadedSpec {
    guard var root = try YAMLParser.parse(text, file: file) else {
      throw SpecError([SpecDiagnostic(
        file: file, mark: SourceMark(line: 1, column: 1), keyPath: "", message: "the spec is empty",
        suggestion: "see experiments/quickstart.yaml for a complete example")])
    }
    for (index, argument) in overrides.enumerated() {
      try Override(parsing: argument).apply(to: &root, index: index)
    }
    let sink = DiagnosticSink(file: file, overrides: overrides)
    guard let spec = ExperimentSpec.decode(root, registry: registry, sink: sink) else {
      throw SpecError(sink.diagnostics, source: (file, text))
    }
    return LoadedSpec(spec: spec, sourceText: text, file: file, overrides: overrides)
  }
}
