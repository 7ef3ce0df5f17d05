public import AdLabCore
import AdLabTensor

/// The interest-model suite's toy market, whose clicks any model can learn exactly: of `adCount` ads, the first
/// half is always clicked (and converts) and the second half never is. Every ad feature separates the two halves —
/// `ad_id`, `ad_item` (ad + 1), `ad_vector` ((1, 0) for a clicked ad, (0, 1) otherwise) — while the user features
/// (`segment`, dense `x`, a `history` of items) are noise. The schema has the fields the built-in models look for
/// by default (`ad_item` and `history` for DIN, user and ad sides for two-tower), so each runs on its defaults.
public final class SeparableToyEnvironment: Environment {
  /// Registered under this name in the copy of a registry the model suite builds.
  public static let pluginName = "conformance-separable-toy"
  public static let ads = 4
  static let historyLength = 3

  /// No parameters: the toy is fixed.
  public struct Params: PluginParameters {
    public init() {}
    public static var fields: [ParameterField<Params>] { [] }
  }

  public static let schema = FeatureSchema(
    categorical: [
      .init("segment", side: .user, cardinality: 2), .init("ad_id", side: .ad, cardinality: ads),
      .init("ad_item", side: .ad, cardinality: ads + 1),
    ],
    dense: [.init("x", side: .user, width: 2), .init("ad_vector", side: .ad, width: 2)],
    sequences: [.init("history", maxLength: historyLength, vocabulary: ads + 1)])

  /// Whether ad `ad` is in the clicked half.
  public static func clicks(ad: Int) -> Bool { ad < ads / 2 }

  private let key: StreamKey

  public init(context: PluginContext) { key = context.key.child("separable-toy") }

  public var candidateCount: Int { Self.ads }
  public var featureSchema: FeatureSchema { Self.schema }
  public var outcomeColumns: OutcomeColumns { [.clicks, .conversions] }
  public var hasOracle: Bool { true }

  public func nextBatch(firstStep: Int, count: Int) -> DecisionBatch {
    let k = Self.ads, h = Self.historyLength
    var features = FeatureBatch()
    features.decisionCategorical.reserveCapacity(count)
    features.sequences = [UInt64](repeating: 0, count: count * h)
    for i in 0..<count {
      // The user's noise is a function of the step alone (common to every run of the replication).
      let step = UInt64(firstStep + i), bits = CounterRandom.bits(key: key, step, 0)
      features.decisionCategorical.append(bits & 1)
      features.decisionDense += [
        Float(CounterRandom.uniform(key: key, step, 1)), Float(CounterRandom.uniform(key: key, step, 2)),
      ]
      let length = 1 + Int((bits >> 8) % UInt64(h))
      for position in 0..<length {
        features.sequences[i * h + position] = 1 + (bits >> (16 + 8 * position)) % UInt64(k)
      }
      features.sequenceLengths.append(Int32(length))
      for ad in 0..<k {
        features.candidateCategorical += [UInt64(ad), UInt64(ad + 1)]
        features.candidateDense += Self.clicks(ad: ad) ? [1, 0] : [0, 1]
      }
    }
    let steps = Array(firstStep..<(firstStep + count))
    return DecisionBatch(
      steps: steps, userIDs: steps.map { UInt64($0) }, candidateCount: k, schema: Self.schema, features: features)
  }

  public func resolve(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, into outcomes: inout OutcomeBatch) {
    for i in 0..<batch.count {
      let action = actions[i], shown = action != DecisionBatch.noAd
      let clicked: Double = shown && Self.clicks(ad: Int(action)) ? 1 : 0
      outcomes.impressions[i] = shown ? 1 : 0
      outcomes.clicks[i] = clicked
      outcomes.conversions[i] = clicked
    }
  }

  public func expectedOutcomes(_ batch: DecisionBatch, into outcomes: inout OutcomeBatch) {
    let k = Self.ads
    for i in 0..<batch.count {
      for ad in 0..<k {
        let clicked: Double = Self.clicks(ad: ad) ? 1 : 0
        outcomes.impressions[i * k + ad] = 1
        outcomes.clicks[i * k + ad] = clicked
        outcomes.conversions[i * k + ad] = clicked
      }
    }
  }
}

extension PluginRegistry {
  /// Adds the toy under `SeparableToyEnvironment.pluginName` (for the model suite; a package need not call it).
  public mutating func registerSeparableToy() {
    guard environments.descriptor(named: SeparableToyEnvironment.pluginName) == nil else { return }
    environments.register(
      SeparableToyEnvironment.pluginName,
      summary: "the conformance kit's toy: the first half of the ads is always clicked, the rest never",
      parameters: SeparableToyEnvironment.Params.self,
      capabilities: { _ in
        PluginCapabilities(
          .oracle, outcomeColumns: [.clicks, .conversions], featureSchema: SeparableToyEnvironment.schema)
      }
    ) { _, context in SeparableToyEnvironment(context: context) }
  }
}
