import AdLabCore

/// Turns a decision's user and context features into a sequential learner's state: a discrete index (mixed radix
/// over each feature's bins) for tabular Q-learning, or a dense vector for a Q-network.
///
/// Features are found by name in the environment's schema (user or context side, dense of width 1 or
/// categorical), once, at construction; a missing name is an error that lists what the environment serves.
struct StateEncoder: Sendable {
  /// Where a feature's value sits in a decision row, and how it is binned and scaled.
  struct Resolved: Sendable {
    var name: String
    var isCategorical: Bool
    var column: Int
    var edges: [Double]
    /// Bins of the feature: edges + 1 for dense, the cardinality for categorical.
    var bins: Int
    var scale: Double
  }

  let features: [Resolved]
  /// Distinct discrete states: the product of the bins.
  let stateCount: Int
  /// Width of the dense vector: 1 per dense feature, `bins` (one-hot) per categorical one.
  let width: Int

  /// - Parameter binned: whether every dense feature needs edges (tabular learners).
  /// - Throws: `PluginError.invalidParameters` naming the feature and what the environment serves.
  init(_ specs: [StateFeature], schema: FeatureSchema, plugin: String, binned: Bool) throws {
    guard !specs.isEmpty else {
      throw PluginError.invalidParameters(
        "\(plugin): state_features is empty; name at least one user or context feature")
    }
    let dense = schema.decisionDense, categorical = schema.decisionCategorical
    let served = (dense.map(\.name) + categorical.map(\.name)).joined(separator: ", ")
    var resolved: [Resolved] = []
    var states = 1, width = 0
    for spec in specs {
      if let field = categorical.first(where: { $0.name == spec.feature }),
        let index = categorical.firstIndex(where: { $0.name == spec.feature })
      {
        guard let cardinality = spec.cardinality ?? field.cardinality else {
          throw PluginError.invalidParameters(
            "\(plugin): categorical state feature '\(spec.feature)' needs a cardinality (the schema declares none); write { feature: \(spec.feature), cardinality: N }"
          )
        }
        resolved.append(
          Resolved(name: spec.feature, isCategorical: true, column: index, edges: [], bins: cardinality, scale: 1))
        width += cardinality
      } else if let field = dense.first(where: { $0.name == spec.feature }),
        let columns = schema.columns(of: spec.feature)
      {
        guard field.width == 1 else {
          throw PluginError.invalidParameters(
            "\(plugin): state feature '\(spec.feature)' has width \(field.width); only scalar dense features can be state features"
          )
        }
        if binned && spec.edges.isEmpty {
          throw PluginError.invalidParameters(
            "\(plugin): dense state feature '\(spec.feature)' needs bin edges, e.g. { feature: \(spec.feature), edges: [1, 2, 4, 8] }"
          )
        }
        let scale = spec.scale ?? (spec.edges.last.map { $0 > 0 ? $0 : 1 } ?? 1)
        resolved.append(
          Resolved(
            name: spec.feature, isCategorical: false, column: columns.lowerBound, edges: spec.edges,
            bins: spec.edges.count + 1, scale: scale))
        width += 1
      } else {
        throw PluginError.invalidParameters(
          "\(plugin): the environment serves no user or context feature '\(spec.feature)'"
            + (served.isEmpty ? " (it serves none)" : "; it serves: " + served))
      }
      states = states.multipliedReportingOverflow(by: resolved[resolved.count - 1].bins).partialValue
      guard states <= 1_000_000 else {
        throw PluginError.invalidParameters(
          "\(plugin): the state features make more than 1,000,000 discrete states; use fewer edges or features")
      }
    }
    features = resolved
    stateCount = states
    self.width = width
  }

  /// The discrete state of decision `i`: feature bins combined in mixed radix, first feature most significant.
  @inline(__always)
  func state(_ batch: DecisionBatch, decision i: Int) -> Int {
    let denseWidth = batch.schema.decisionDenseWidth, categoricalWidth = batch.schema.decisionCategorical.count
    var index = 0
    for feature in features {
      let bin: Int
      if feature.isCategorical {
        bin = Int(batch.features.decisionCategorical[i * categoricalWidth + feature.column] % UInt64(feature.bins))
      } else {
        let value = Double(batch.features.decisionDense[i * denseWidth + feature.column])
        var b = 0
        while b < feature.edges.count && value >= feature.edges[b] { b += 1 }
        bin = b
      }
      index = index * feature.bins + bin
    }
    return index
  }

  /// The dense input of decision `i` written at `out[0..<width]`: each dense value divided by its scale (clipped to
  /// [-4, 4] so an outlier cannot blow up a network), each categorical feature one-hot.
  @inline(__always)
  func vector(_ batch: DecisionBatch, decision i: Int, into out: UnsafeMutableBufferPointer<Float>) {
    let denseWidth = batch.schema.decisionDenseWidth, categoricalWidth = batch.schema.decisionCategorical.count
    var at = 0
    for feature in features {
      if feature.isCategorical {
        let hot = Int(batch.features.decisionCategorical[i * categoricalWidth + feature.column] % UInt64(feature.bins))
        for b in 0..<feature.bins { out[at + b] = b == hot ? 1 : 0 }
        at += feature.bins
      } else {
        let value = Double(batch.features.decisionDense[i * denseWidth + feature.column]) / feature.scale
        out[at] = Float(min(max(value, -4), 4))
        at += 1
      }
    }
  }
}
