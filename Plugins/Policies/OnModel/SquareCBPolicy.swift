import AdLabCore
import AdLabTensor

/// SquareCB (Foster & Rakhlin 2020): inverse-gap weighting on an interest model's predictions. With b the
/// ad of highest predicted objective ŷ,
/// ```
/// p(a) = 1 / (K + γ · (ŷ_b − ŷ_a))   for a ≠ b,      p(b) = 1 − Σ_{a≠b} p(a)
/// ```
/// so ads predicted close to the best are explored often and clearly worse ones rarely; γ sets how greedy.
/// Ties for the best are broken uniformly at random before weighting. With S slots the slots are drawn in turn,
/// each by inverse-gap weighting over the candidates still unused (K replaced by their number); the propensity is
/// exact for slot 0 and NaN for later slots.
public final class SquareCBPolicy: Policy {
  public struct Params: PluginParameters {
    public var gamma = 100.0
    public var objective = ObjectiveKind.click
    public var valueFeature = "bid"
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init(
          "gamma", \.gamma, doc: "greediness γ of the inverse-gap weighting (Foster & Rakhlin suggest about sqrt(K·T))",
          .greaterThan(0))
      ] + ObjectiveKind.fields(objective: \.objective, valueFeature: \.valueFeature, ranking: "ads")
    }
  }

  private let gamma: Double
  private let objective: ModelObjective
  private let arms: Int
  private var stream: RandomStream

  public init(_ params: Params, context: PluginContext) throws {
    gamma = params.gamma
    objective = try ModelObjective(
      kind: params.objective, valueFeature: params.valueFeature, schema: context.featureSchema, plugin: "squarecb")
    arms = context.candidateCount
    stream = RandomStream(key: context.key.child("squarecb"))
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let k = arms, slots = batch.slotCount, filled = min(k, slots)
    let values = objective.values(batch, plugin: "squarecb")
    var probabilities = [Double](repeating: 0, count: k)
    var stream = self.stream
    defer { self.stream = stream }
    values.withUnsafeBufferPointer { all in
      for i in 0..<batch.count {
        let row = UnsafeBufferPointer(rebasing: all[(i * k)..<((i + 1) * k)])
        let base = i * slots
        for s in 0..<filled {
          // Inverse-gap weighting over the candidates still unused (all of them for slot 0).
          let (best, _) = SlotRanking.bestRemaining(row, actions, base: base, filled: s, stream: &stream)
          let live = Double(k - s)
          var others = 0.0
          for a in 0..<k where a != best {
            probabilities[a] =
              SlotRanking.isUsed(a, actions, base: base, filled: s) ? 0 : 1 / (live + gamma * (row[best] - row[a]))
            others += probabilities[a]
          }
          probabilities[best] = 1 - others
          // Inverse-CDF draw in ad order: a fixed, documented mapping from the uniform to the ad.
          let u = stream.uniform()
          // Used candidates have probability 0 and are skipped; rounding past the end lands on the last live one.
          var arm = -1, cumulative = 0.0
          for a in 0..<k where probabilities[a] > 0 || a == best {
            arm = a
            cumulative += probabilities[a]
            if u < cumulative { break }
          }
          actions[base + s] = Int32(arm)
          propensities?[base + s] = s == 0 ? probabilities[arm] : .nan
        }
        SlotRanking.clear(from: filled, slots: slots, actions, base: base, propensities: propensities)
      }
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {}
}
