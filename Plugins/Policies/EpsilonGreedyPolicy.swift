import AdLabCore
import AdLabTensor

/// ε-greedy: explores a uniformly random ad with probability ε_t, otherwise shows the ad with the best mean reward.
///
/// ```
/// ε_t = epsilon / (1 + decay · t)        t = decisions made before the current batch
/// propensity(a) = (1 − ε_t) · [a ∈ best] / |best| + ε_t / K
/// ```
/// Ties for the best mean are broken uniformly at random.
public final class EpsilonGreedyPolicy: Policy {
  public struct Params: PluginParameters {
    public var epsilon = 0.1
    public var decay = 0.0
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("epsilon", \.epsilon, doc: "probability of exploring at the start", .range(0...1)),
        .init("decay", \.decay, doc: "ε_t = epsilon / (1 + decay · t) after t decisions; 0 keeps ε fixed", .atLeast(0)),
      ]
    }
  }

  private let params: Params
  private var stats: ArmStatistics
  private var stream: RandomStream

  public init(_ params: Params, context: PluginContext) {
    self.params = params
    stats = ArmStatistics(arms: context.candidateCount)
    stream = RandomStream(key: context.key.child("epsilon-greedy"))
  }

  public func choose(_ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>, propensities: UnsafeMutableBufferPointer<Double>?) {
    let k = stats.arms
    let epsilon = params.epsilon / (1 + params.decay * stats.totalPulls)
    let means = (0..<k).map(stats.mean)
    let top = means.max() ?? 0
    let best = means.indices.filter { means[$0] == top }
    var isBest = [Bool](repeating: false, count: k)
    for a in best { isBest[a] = true }
    let exploit = (1 - epsilon) / Double(best.count), explore = epsilon / Double(k)
    for i in 0..<batch.count {
      let arm = stream.uniform() < epsilon ? stream.int(below: k) : best[stream.int(below: best.count)]
      actions[i] = Int32(arm)
      propensities?[i] = (isBest[arm] ? exploit : 0) + explore
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>) {
    stats.record(actions: actions, rewards: rewards)
  }
}
