import AdLabCore
import AdLabTensor

/// ε-greedy: explores a uniformly random ad with probability ε_t, otherwise shows the ad with the best mean reward.
///
/// ```
/// ε_t = epsilon / (1 + decay · t)        t = decisions made before the current batch
/// propensity(a) = (1 − ε_t) · [a ∈ best] / |best| + ε_t / K
/// ```
/// Ties for the best mean are broken uniformly at random. Means are kept per ad id when the batch has candidate
/// ids (else per candidate index). With S slots each slot in turn explores with probability ε_t among the
/// candidates still unused, else takes the best unused one. The propensity above is exact for slot 0; the
/// position-wise marginal of later slots depends on every earlier slot's coin and is reported as NaN.
public final class EpsilonGreedyPolicy: Policy {
  public struct Params: PluginParameters {
    public var epsilon = 0.1
    public var decay = 0.0
    public var learnFrom = SlotFeedback.all
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("epsilon", \.epsilon, doc: "probability of exploring at the start", .range(0...1)),
        .init("decay", \.decay, doc: "ε_t = epsilon / (1 + decay · t) after t decisions; 0 keeps ε fixed", .atLeast(0)),
        SlotFeedback.field(\.learnFrom, updating: "means"),
      ]
    }
  }

  private let params: Params
  private let feedback: SlotFeedback
  private var stats: ArmStatistics
  private var decisions = 0.0
  private var stream: RandomStream
  private var row: [Double] = []

  public init(_ params: Params, context: PluginContext) {
    self.params = params
    feedback = params.learnFrom
    stats = ArmStatistics(arms: context.perAdStateCount)
    stream = RandomStream(key: context.key.child("epsilon-greedy"))
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let k = batch.candidateCount, slots = batch.slotCount
    let epsilon = params.epsilon / (1 + params.decay * decisions)
    let means = (0..<stats.arms).map(stats.mean)
    let hasIDs = !batch.candidateIDs.isEmpty
    if row.count != k { row = [Double](repeating: 0, count: k) }
    var stream = self.stream
    defer { self.stream = stream }
    row.withUnsafeMutableBufferPointer { row in
      if !hasIDs { for c in 0..<k { row[c] = means[c] } }
      let scores = UnsafeBufferPointer(row)
      for i in 0..<batch.count {
        if hasIDs { for c in 0..<k { row[c] = means[Int(batch.candidateIDs[i * k + c])] } }
        SlotRanking.fillEpsilonGreedy(
          scores, epsilon: epsilon, slots: slots, actions, base: i * slots, propensities: propensities, stream: &stream)
      }
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    stats.record(batch, actions: actions, rewards: rewards, from: feedback)
    decisions += Double(actions.count / batch.slotCount)
  }
}
