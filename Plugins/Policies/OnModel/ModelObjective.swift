import AdLabCore

/// The `objective` parameter of the model-ranking policies: `click` = pCTR, `conversion` = pCTR × pCVR,
/// `value` = pCTR × v, `conversion-value` = pCTR × pCVR × v, where v is an ad-side dense feature of width 1 (a bid,
/// a price, a margin) named by `value_feature`.
public enum ObjectiveKind: String, EnumParameter {
  case click, conversion, value
  case conversionValue = "conversion-value"

  /// Multiplies by pCVR, so the variant's model must predict conversions.
  var usesConversions: Bool { self == .conversion || self == .conversionValue }
  /// Multiplies by `value_feature`.
  var usesValue: Bool { self == .value || self == .conversionValue }

  /// The `objective` and `value_feature` parameters every model-ranking policy declares. `ranking` says what the
  /// objective ranks, e.g. "ads" or "ads when the variant has a model".
  static func fields<Params>(
    objective: any WritableKeyPath<Params, ObjectiveKind> & Sendable,
    valueFeature: any WritableKeyPath<Params, String> & Sendable,
    ranking: String
  ) -> [ParameterField<Params>] {
    [
      .init(
        "objective", objective,
        doc:
          "what ranks \(ranking): click (pCTR), conversion (pCTR·pCVR), value / conversion-value (times value_feature)"),
      .init("value_feature", valueFeature, doc: "ad-side dense feature (width 1) the value objectives multiply by"),
    ]
  }
}

/// What a model-based policy maximises, computed from the variant's interest-model predictions (see `ObjectiveKind`).
struct ModelObjective {
  let kind: ObjectiveKind
  let valueColumn: Int?

  init(kind: ObjectiveKind, valueFeature: String, schema: FeatureSchema, plugin: String) throws {
    self.kind = kind
    guard kind.usesValue else {
      valueColumn = nil
      return
    }
    guard let field = schema.candidateDense.first(where: { $0.name == valueFeature }), field.width == 1,
      let range = schema.columns(of: valueFeature)
    else {
      let options = schema.candidateDense.filter { $0.width == 1 }.map(\.name)
      throw PluginError.invalidParameters(
        "\(plugin): objective '\(kind.rawValue)' needs value_feature to name an ad-side dense feature of width 1"
          + (options.isEmpty ? "; the environment serves none" : "; it serves: " + options.joined(separator: ", ")))
    }
    valueColumn = range.lowerBound
  }

  /// The objective of every (decision, candidate) of the batch, decision-major.
  func values(_ batch: DecisionBatch, plugin: String) -> [Double] {
    guard let predictions = batch.predictions else {
      preconditionFailure("\(plugin) needs interest-model predictions; the spec check guarantees a model")
    }
    var values = predictions.click
    if kind.usesConversions {
      precondition(
        !predictions.conversion.isEmpty,
        "\(plugin): objective '\(kind.rawValue)' needs a model that predicts conversions")
      for i in values.indices { values[i] *= predictions.conversion[i] }
    }
    if let column = valueColumn {
      let width = batch.schema.candidateDenseWidth
      for i in values.indices { values[i] *= Double(batch.features.candidateDense[i * width + column]) }
    }
    return values
  }
}
