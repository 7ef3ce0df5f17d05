import AdLabCore
import AdLabTensor

/// The industry baseline for ad fatigue: myopic greedy ranking under a frequency cap.
///
/// A user whose exposure feature (`recent_exposures` by default: ads seen within the market's frequency window)
/// is at or above `cap` gets a page without ads; any other user gets `max_ads_per_page` ads (every slot by
/// default), the best-ranked candidates (`AdRanker`: the interest model's objective when the variant has a model,
/// else each ad's empirical mean reward). A very large cap gives plain myopic greedy. Deterministic but for ties,
/// so a slot's propensity is 1 / (number of candidates tied at its score), and 1 for an empty slot.
public final class FrequencyCapPolicy: Policy {
  public struct Params: PluginParameters {
    public var cap = 3.0
    public var exposureFeature = "recent_exposures"
    public var maxAdsPerPage = 0
    public var objective = ObjectiveKind.click
    public var valueFeature = "bid"
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init(
          "cap", \.cap, doc: "no ads for a user whose exposure feature is at least this (1e9: no cap, myopic greedy)",
          .atLeast(0)),
        .init(
          "exposure_feature", \.exposureFeature,
          doc: "user/context dense feature counting the user's recent ad exposures"),
        .init("max_ads_per_page", \.maxAdsPerPage, doc: "ads on a page below the cap (0: every slot)", .range(0...64)),
      ]
        + ObjectiveKind.fields(
          objective: \.objective, valueFeature: \.valueFeature, ranking: "ads when the variant has a model")
    }
  }

  private let cap: Double
  private let exposureColumn: Int
  private let adsPerPage: Int
  private var ranker: AdRanker
  private var stream: RandomStream

  /// The column of the scalar decision-side dense feature `name` (also the spec-time check of `exposure_feature`).
  static func exposureColumn(_ name: String, schema: FeatureSchema) throws -> Int {
    let dense = schema.decisionDense
    guard let field = dense.first(where: { $0.name == name }), field.width == 1, let columns = schema.columns(of: name)
    else {
      let served = dense.filter { $0.width == 1 }.map(\.name)
      throw PluginError.invalidParameters(
        "frequency-cap: exposure_feature '\(name)' is not a scalar user or context dense feature of the environment"
          + (served.isEmpty ? " (it serves none)" : "; it serves: " + served.joined(separator: ", ")))
    }
    return columns.lowerBound
  }

  public init(_ params: Params, context: PluginContext) throws {
    cap = params.cap
    exposureColumn = try Self.exposureColumn(params.exposureFeature, schema: context.featureSchema)
    adsPerPage = min(params.maxAdsPerPage == 0 ? context.slotCount : params.maxAdsPerPage, context.slotCount)
    ranker = try AdRanker(
      objective: params.objective, valueFeature: params.valueFeature, context: context, plugin: "frequency-cap")
    stream = RandomStream(key: context.key.child("frequency-cap"))
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let width = batch.schema.decisionDenseWidth
    ranker.prepare(batch)
    var stream = self.stream
    defer { self.stream = stream }
    for i in 0..<batch.count {
      let exposures = Double(batch.features.decisionDense[i * width + exposureColumn])
      ranker.fill(
        batch, decision: i, count: exposures >= cap ? 0 : adsPerPage, actions, propensities: propensities,
        stream: &stream)
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    ranker.learn(batch, actions: actions, rewards: rewards)
  }
}
