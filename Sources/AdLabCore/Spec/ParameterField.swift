/// One declared parameter of a plugin: its YAML key, where it lives in the typed parameter struct,
/// its documentation and its allowed values. `adlab plugins`, the strict decoder and resolved.json
/// all read the same declaration, so the docs cannot drift from the code.
public struct ParameterField<Params>: Sendable {
  public let name: String
  public let doc: String
  public let typeDescription: String
  public let constraintDescription: String?
  let read: @Sendable (YAMLNode, String, DiagnosticSink, inout Params) -> Void
  let write: @Sendable (Params) -> JSONValue

  /// Declares a parameter stored at `keyPath`, whose default is the value `Params()` holds.
  public init<Value: ParameterValue>(
    _ name: String, _ keyPath: any WritableKeyPath<Params, Value> & Sendable, doc: String,
    _ constraint: ParameterConstraint<Value>? = nil
  ) {
    self.name = name
    self.doc = doc
    self.typeDescription = Value.typeDescription
    self.constraintDescription = constraint?.description
    self.read = { node, path, sink, params in
      guard let value = Value.decode(node, path: path, sink: sink) else { return }
      if let problem = constraint?.problem(value) {
        sink.error(problem, at: node.mark, path: path)
        return
      }
      params[keyPath: keyPath] = value
    }
    self.write = { params in params[keyPath: keyPath].json }
  }
}

/// The typed parameters of a plugin (or of a part of the spec): a struct whose `init()` holds every
/// default, plus the declared fields.
public protocol PluginParameters: Sendable {
  init()
  static var fields: [ParameterField<Self>] { get }
  /// Problems that involve several fields at once (e.g. a list whose length must match a count).
  /// Each is reported at the parameters' mapping.
  func crossFieldProblems() -> [String]
}

extension PluginParameters {
  public func crossFieldProblems() -> [String] { [] }

  /// Reads parameters strictly: every key must be declared, every value well typed and in range.
  /// A missing or null node gives the defaults. Returns nil when anything was wrong (all recorded in `sink`).
  public static func decode(_ node: YAMLNode?, path: String, sink: DiagnosticSink) -> Self? {
    var params = Self()
    let before = sink.diagnostics.count
    if let node, !node.isNull {
      guard let reader = MappingReader(node, path: path, sink: sink) else { return nil }
      for field in fields {
        if let value = reader.take(field.name) {
          field.read(value, joinPath(path, field.name), sink, &params)
        }
      }
      reader.finish(known: fields.map(\.name))
    }
    guard sink.diagnostics.count == before else { return nil }
    let problems = params.crossFieldProblems()
    for problem in problems { sink.error(problem, at: node?.mark ?? SourceMark(line: 1, column: 1), path: path) }
    return problems.isEmpty ? params : nil
  }

  /// Every field with its value, in declaration order: the canonical form written to resolved.json.
  public var resolvedJSON: JSONValue { .object(Self.fields.map { ($0.name, $0.write(self)) }) }

  /// What `adlab plugins` shows for each parameter, defaults taken from `Self()`.
  public static var parameterInfo: [ParameterInfo] {
    let defaults = Self()
    return fields.map {
      ParameterInfo(
        name: $0.name, type: $0.typeDescription, defaultValue: $0.write(defaults),
        constraint: $0.constraintDescription, doc: $0.doc)
    }
  }
}

/// The documentation of one parameter, as listed by `adlab plugins`.
public struct ParameterInfo: Sendable, Equatable {
  public var name: String
  public var type: String
  public var defaultValue: JSONValue
  public var constraint: String?
  public var doc: String

  public var json: JSONValue {
    .object([
      ("name", .string(name)), ("type", .string(type)), ("default", defaultValue),
      ("allowed", constraint.map(JSONValue.string) ?? .null), ("doc", .string(doc)),
    ])
  }
}

/// Parameters for a plugin that takes none.
public struct NoParameters: PluginParameters {
  public init() {}
  public static var fields: [ParameterField<NoParameters>] { [] }
}
