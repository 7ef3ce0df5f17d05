import AdLabCore
import AdLabTensor

/// ε-greedy on an interest model: shows the ad with the highest predicted objective (pCTR, pCTR × pCVR,
/// or either times a value such as the bid), exploring a uniformly random ad with probability ε_t.
///
/// ```
/// ε_t = epsilon / (1 + decay · t)
/// propensity(a) = (1 − ε_t) · [a ∈ best] / |best| + ε_t / K
/// ```
/// With S slots each slot in turn explores with probability ε_t among the unused candidates, else takes the best
/// unused one; the propensity is exact for slot 0 and NaN for later slots (it depends on earlier slots' coins).
/// The model scores candidates (ad ids are its features), so nothing here is kept per ad.
public final class GreedyModelPolicy: Policy {
  public struct Params: PluginParameters {
    public var epsilon = 0.05
    public var decay = 0.0
    public var objective = ObjectiveKind.click
    public var valueFeature = "bid"
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("epsilon", \.epsilon, doc: "probability of exploring at the start", .range(0...1)),
        .init("decay", \.decay, doc: "ε_t = epsilon / (1 + decay · t) after t decisions; 0 keeps ε fixed", .atLeast(0)),
      ] + ObjectiveKind.fields(objective: \.objective, valueFeature: \.valueFeature, ranking: "ads")
    }
  }

  private let params: Params
  private let objective: ModelObjective
  private let arms: Int
  private var decisions = 0.0
  private var stream: RandomStream

  public init(_ params: Params, context: PluginContext) throws {
    self.params = params
    objective = try ModelObjective(
      kind: params.objective, valueFeature: params.valueFeature, schema: context.featureSchema, plugin: "greedy-model")
    arms = context.candidateCount
    stream = RandomStream(key: context.key.child("greedy-model"))
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let k = arms, slots = batch.slotCount
    let values = objective.values(batch, plugin: "greedy-model")
    let epsilon = params.epsilon / (1 + params.decay * decisions)
    var stream = self.stream
    defer { self.stream = stream }
    values.withUnsafeBufferPointer { all in
      for i in 0..<batch.count {
        let row = UnsafeBufferPointer(rebasing: all[(i * k)..<((i + 1) * k)])
        SlotRanking.fillEpsilonGreedy(
          row, epsilon: epsilon, slots: slots, actions, base: i * slots, propensities: propensities, stream: &stream)
      }
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    decisions += Double(actions.count / batch.slotCount)
  }
}
