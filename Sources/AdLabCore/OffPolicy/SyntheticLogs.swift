public import AdLabTensor
import AdLabTensor
import Foundation

/// Logged bandit feedback from a known logistic click model, for tests, benchmarks and the `synthetic` logged
/// dataset: the true value of any policy on these logs is exact.
///
/// Context x ∈ ℝ^d with x_j ~ N(0, 1); per action a, θ_a ~ N(0, 1/d) and a bias b_a ~ −1.5 + 0.5·N(0, 1); the click
/// probability is q(x, a) = σ(b_a + θ_a·x). The behaviour policy is uniform (p = 1/K) or a softmax of q/temperature;
/// rewards are Bernoulli(q(x, a_i)). Every draw comes from named children of `key`.
public enum SyntheticLogs {
  public enum Logging: String, EnumParameter {
    case uniform, softmax
  }

  public static func generate(
    rounds n: Int, actions k: Int, features d: Int, logging: Logging, temperature: Double = 0.2, key: StreamKey
  ) -> LoggedBandit {
    segment(rounds: n, actions: k, features: d, logging: logging, temperature: temperature, key: key).materialize()
  }

  /// The logs of `generate`, as a segment to stream (kept in memory as columns, not as decisions).
  public static func segment(
    rounds n: Int, actions k: Int, features d: Int, logging: Logging, temperature: Double = 0.2, key: StreamKey
  ) -> LoggedSegment {
    var model = RandomStream(key: key.child("model"))
    let scale = 1 / Double(max(d, 1)).squareRoot()
    let theta = (0..<(k * d)).map { _ in model.normal() * scale }
    let bias = (0..<k).map { _ in -1.5 + 0.5 * model.normal() }

    var contexts = RandomStream(key: key.child("contexts"))
    var behaviour = RandomStream(key: key.child("behaviour"))
    var outcomes = RandomStream(key: key.child("rewards"))
    var dense = [Float](repeating: 0, count: n * d)
    var q = [Double](repeating: 0, count: n * k)
    var actions = [Int32](repeating: 0, count: n)
    var rewards = [Double](repeating: 0, count: n), propensities = rewards
    var x = [Double](repeating: 0, count: d), weights = [Double](repeating: 0, count: k)
    for i in 0..<n {
      for j in 0..<d {
        // Stored as Float (the feature format), and the truth uses the stored value, so they agree exactly.
        dense[i * d + j] = Float(contexts.normal())
        x[j] = Double(dense[i * d + j])
      }
      for a in 0..<k {
        var z = bias[a]
        for j in 0..<d { z += theta[a * d + j] * x[j] }
        q[i * k + a] = 1 / (1 + AdLabMath.exp(-z))
      }
      let chosen: Int
      switch logging {
      case .uniform:
        chosen = behaviour.int(below: k)
        propensities[i] = 1 / Double(k)
      case .softmax:
        var top = -Double.infinity
        for a in 0..<k { top = max(top, q[i * k + a] / temperature) }
        var total = 0.0
        for a in 0..<k {
          weights[a] = AdLabMath.exp(q[i * k + a] / temperature - top)
          total += weights[a]
        }
        for a in 0..<k { weights[a] /= total }
        chosen = behaviour.categorical(weights)
        propensities[i] = weights[chosen]
      }
      actions[i] = Int32(chosen)
      rewards[i] = outcomes.bernoulli(q[i * k + chosen]) ? 1 : 0
    }
    var columns = LogColumns(denseWidth: d, categoricalWidth: 0, expectedWidth: k)
    columns.dense = dense
    columns.actions = actions
    columns.slots = [Int32](repeating: 0, count: n)  // the logged position: always slot 0
    columns.rewards = rewards
    columns.propensities = propensities
    columns.expected = q
    let schema = FeatureSchema(
      categorical: [.init("position", side: .context, cardinality: 1), .init("action", side: .ad, cardinality: k)],
      dense: d > 0 ? [.init("context", side: .context, width: d)] : [])
    let features = LogFeatures(
      schema: schema, candidateCount: k, slotCount: 1, candidateCategorical: (0..<k).map { UInt64($0) },
      candidateDense: [])
    return LoggedSegment(
      name: "synthetic/\(logging.rawValue)", metadata: ["dataset": "synthetic", "behavior": logging.rawValue],
      rounds: LogRounds(storage: .memory(columns), features: features))
  }
}
