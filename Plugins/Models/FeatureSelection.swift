import AdLabCore

/// Dense features an interest model leaves out (`ignore_features`), so that two variants can run the same model
/// with and without, say, text embeddings on one environment. The model is built on the schema without them and
/// sees each batch with their columns removed, so nothing inside a model knows about the selection.
struct FeatureSelection: Sendable {
  /// The schema the model sees.
  let schema: FeatureSchema
  /// Kept columns of the full decision and candidate dense rows, in order.
  let decisionColumns: [Int]
  let candidateColumns: [Int]
  let fullDecisionWidth: Int
  let fullCandidateWidth: Int

  /// - Throws: `PluginError.invalidParameters` naming an ignored feature the environment does not serve as dense.
  init(_ full: FeatureSchema, ignoring names: [String]) throws {
    let dense = Set(full.dense.map(\.name))
    if let unknown = names.first(where: { !dense.contains($0) }) {
      throw PluginError.invalidParameters(
        "ignore_features: '\(unknown)' is not a dense feature of the environment; its dense features: "
          + (dense.isEmpty ? "none" : full.dense.map(\.name).joined(separator: ", ")))
    }
    let ignored = Set(names)
    func kept(_ fields: [FeatureSchema.Dense]) -> [Int] {
      var start = 0, columns: [Int] = []
      for field in fields {
        if !ignored.contains(field.name) { columns += start..<(start + field.width) }
        start += field.width
      }
      return columns
    }
    decisionColumns = kept(full.decisionDense)
    candidateColumns = kept(full.candidateDense)
    fullDecisionWidth = full.decisionDenseWidth
    fullCandidateWidth = full.candidateDenseWidth
    schema = FeatureSchema(
      categorical: full.categorical, dense: full.dense.filter { !ignored.contains($0.name) }, sequences: full.sequences)
  }

  /// `batch` with the ignored dense columns removed.
  func select(_ batch: DecisionBatch) -> DecisionBatch {
    var selected = batch
    selected.schema = schema
    selected.features.decisionDense = Self.columns(
      batch.features.decisionDense, width: fullDecisionWidth, keep: decisionColumns)
    selected.features.candidateDense = Self.columns(
      batch.features.candidateDense, width: fullCandidateWidth, keep: candidateColumns)
    return selected
  }

  private static func columns(_ values: [Float], width: Int, keep: [Int]) -> [Float] {
    guard width > 0 else { return [] }
    let rows = values.count / width
    var out = [Float](repeating: 0, count: rows * keep.count)
    values.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { target in
        for r in 0..<rows {
          for (j, column) in keep.enumerated() { target[r * keep.count + j] = source[r * width + column] }
        }
      }
    }
    return out
  }
}

/// An interest model that sees the batches through a `FeatureSelection`.
final class FeatureSelectingModel: InterestModel {
  let selection: FeatureSelection
  let model: any InterestModel

  init(_ selection: FeatureSelection, model: any InterestModel) {
    self.selection = selection
    self.model = model
  }

  var predictsConversions: Bool { model.predictsConversions }

  func predict(_ batch: DecisionBatch, into predictions: inout Predictions) {
    model.predict(selection.select(batch), into: &predictions)
  }

  func learn(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, outcomes: OutcomeBatch) {
    model.learn(selection.select(batch), actions: actions, outcomes: outcomes)
  }

  /// Builds the model on the selected schema, wrapped only when something is ignored (so checkpointing and
  /// every other capability of an unwrapped model stay as they are).
  static func make(
    ignoring names: [String], context: PluginContext, _ build: (PluginContext) throws -> any InterestModel
  ) throws -> any InterestModel {
    guard !names.isEmpty else { return try build(context) }
    let selection = try FeatureSelection(context.featureSchema, ignoring: names)
    var selected = context
    selected.featureSchema = selection.schema
    return FeatureSelectingModel(selection, model: try build(selected))
  }
}
