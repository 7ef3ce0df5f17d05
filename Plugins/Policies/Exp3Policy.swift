import AdLabCore
import AdLabTensor
import Foundation

/// EXP3 (Auer, Cesa-Bianchi, Freund & Schapire 2002), the adversarial bandit: exponential weights mixed with
/// uniform exploration.
///
/// ```
/// p(a) = (1 − γ) · w(a) / Σ w + γ / K
/// after the batch, for each decision:  log w(a) += γ · (r / p(a)) / K
/// ```
/// Rewards are clipped to [0, 1]. Weights are kept as logarithms and shifted by their maximum so they never overflow.
public final class Exp3Policy: Policy {
  public struct Params: PluginParameters {
    public var gamma = 0.1
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [.init("gamma", \.gamma, doc: "share of uniform exploration γ, also the learning rate", .openClosed(0, 1))]
    }
  }

  private let gamma: Double
  private var logWeights: [Double]
  private var probabilities: [Double]
  private var stream: RandomStream

  public init(_ params: Params, context: PluginContext) {
    gamma = params.gamma
    logWeights = Array(repeating: 0, count: context.candidateCount)
    probabilities = Array(repeating: 1 / Double(context.candidateCount), count: context.candidateCount)
    stream = RandomStream(key: context.key.child("exp3"))
  }

  public func choose(_ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>, propensities: UnsafeMutableBufferPointer<Double>?) {
    let k = logWeights.count
    let top = logWeights.max() ?? 0
    let weights = logWeights.map { exp($0 - top) }
    let total = weights.reduce(0, +)
    for a in 0..<k { probabilities[a] = (1 - gamma) * weights[a] / total + gamma / Double(k) }
    let table = AliasTable(weights: probabilities)
    for i in 0..<batch.count {
      let arm = table.sample(using: &stream)
      actions[i] = Int32(arm)
      propensities?[i] = probabilities[arm]
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>) {
    let k = Double(logWeights.count)
    for i in 0..<actions.count {
      let arm = Int(actions[i])
      let reward = min(max(rewards[i], 0), 1)
      logWeights[arm] += gamma * (reward / probabilities[arm]) / k
    }
  }
}
