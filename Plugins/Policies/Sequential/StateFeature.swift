import AdLabCore

/// One user-state feature of a sequential policy, as written in a spec: a name, or a mapping that says how to
/// discretise (tabular learners) or scale (neural ones) it.
///
/// ```yaml
/// state_features:
///   - { feature: recent_exposures, edges: [1, 2, 4, 8] }   # dense: bin = number of edges ≤ value (5 bins)
///   - { feature: segment, cardinality: 4 }                 # categorical: bin = id mod cardinality
///   - { feature: time_since_last_ad, edges: [1, 6, 24], scale: 48 }
/// ```
/// `scale` divides a dense value for a neural learner's input (default: the last edge, else 1).
public struct StateFeature: ParameterValue, Equatable {
  public var feature: String
  public var edges: [Double]
  public var cardinality: Int?
  public var scale: Double?

  public init(_ feature: String, edges: [Double] = [], cardinality: Int? = nil, scale: Double? = nil) {
    self.feature = feature
    self.edges = edges
    self.cardinality = cardinality
    self.scale = scale
  }

  public static var typeDescription: String { "a state feature" }

  public static func decode(_ node: YAMLNode, path: String, sink: DiagnosticSink) -> StateFeature? {
    if case .scalar = node, let name = String.decode(node, path: path, sink: sink) { return StateFeature(name) }
    guard case .mapping = node, let reader = MappingReader(node, path: path, sink: sink) else {
      sink.error(
        "expected a state feature (a name or { feature, edges, cardinality, scale }), found \(node.kindName)",
        at: node.mark, path: path)
      return nil
    }
    let before = sink.diagnostics.count
    let name = reader.decodeRequired(
      "feature", as: String.self, hint: "name the schema feature, e.g. feature: recent_exposures")
    let edges = reader.decode("edges", as: [Double].self) ?? []
    let cardinality = reader.decode("cardinality", as: Int.self, .range(1...1_000_000))
    let scale = reader.decode("scale", as: Double.self, .greaterThan(0))
    reader.finish(known: ["feature", "edges", "cardinality", "scale"])
    if zip(edges, edges.dropFirst()).contains(where: { $0 >= $1 }) {
      sink.error("edges must increase strictly: \(edges)", at: node.mark, path: path + ".edges")
    }
    guard sink.diagnostics.count == before, let name else { return nil }
    return StateFeature(name, edges: edges, cardinality: cardinality, scale: scale)
  }

  public var json: JSONValue {
    .object([
      ("feature", .string(feature)), ("edges", edges.json), ("cardinality", cardinality.json), ("scale", scale.json),
    ])
  }

  /// The defaults of the sequential policies: the e-commerce market's exposure and recency features.
  public static let defaults: [StateFeature] = [
    StateFeature("recent_exposures", edges: [1, 2, 4, 8]),
    StateFeature("time_since_last_ad", edges: [1, 4, 12, 24], scale: 48),
    StateFeature("session_depth", edges: [1, 3, 6], scale: 10),
  ]
}
