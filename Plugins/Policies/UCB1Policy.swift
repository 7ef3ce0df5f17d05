import AdLabCore
import AdLabTensor
import Foundation

/// UCB1 (Auer, Cesa-Bianchi & Fischer 2002): shows the ad with the highest upper confidence bound
///
/// ```
/// score(a) = mean(a) + sqrt(c · ln t / n(a))      ads never shown first
/// ```
/// Feedback arrives a batch late, so within a batch each choice counts as a "virtual" pull (n and t grow,
/// means do not): without that, a batch would pile every decision onto one ad. The policy is deterministic
/// given its history except for ties, which are broken uniformly at random; propensity = 1 / ties.
public final class UCB1Policy: Policy {
  public struct Params: PluginParameters {
    public var c = 2.0
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [.init("c", \.c, doc: "exploration weight in sqrt(c · ln t / n); 2 is Auer et al.'s UCB1", .range(0...100))]
    }
  }

  private let c: Double
  private var stats: ArmStatistics
  private var stream: RandomStream
  private var scores: [Double]

  public init(_ params: Params, context: PluginContext) {
    c = params.c
    stats = ArmStatistics(arms: context.candidateCount)
    stream = RandomStream(key: context.key.child("ucb1"))
    scores = Array(repeating: 0, count: context.candidateCount)
  }

  public func choose(_ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>, propensities: UnsafeMutableBufferPointer<Double>?) {
    let k = stats.arms, c = self.c
    var t = stats.totalPulls
    var pulls = stats.pulls
    let means = (0..<k).map(stats.mean)
    var stream = self.stream
    defer { self.stream = stream }
    scores.withUnsafeMutableBufferPointer { scores in
      pulls.withUnsafeMutableBufferPointer { pulls in
        means.withUnsafeBufferPointer { means in
          for i in 0..<batch.count {
            t += 1
            let logT = log(t)
            for a in 0..<k {
              let n = pulls[a]
              scores[a] = n == 0 ? .infinity : means[a] + (c * logT / n).squareRoot()
            }
            let (arm, ties) = argmaxBreakingTies(UnsafeBufferPointer(scores), stream: &stream)
            pulls[arm] += 1
            actions[i] = Int32(arm)
            propensities?[i] = 1 / Double(ties)
          }
        }
      }
    }
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>) {
    stats.record(actions: actions, rewards: rewards)
  }
}
