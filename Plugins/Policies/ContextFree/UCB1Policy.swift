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
/// Statistics are per ad id when the batch has candidate ids. With S slots the S highest bounds fill the slots
/// (best in slot 0), each a virtual pull; the propensity of each slot is 1 / (size of its ad's tie group), exact.
public final class UCB1Policy: Policy {
  public struct Params: PluginParameters {
    public var c = 2.0
    public var learnFrom = SlotFeedback.all
    public init() {}
    public static var fields: [ParameterField<Params>] {
      [
        .init("c", \.c, doc: "exploration weight in sqrt(c · ln t / n); 2 is Auer et al.'s UCB1", .range(0...100)),
        SlotFeedback.field(\.learnFrom, updating: "means"),
      ]
    }
  }

  private let c: Double
  private let feedback: SlotFeedback
  private var stats: ArmStatistics
  private var stream: RandomStream
  private var scores: [Double]

  public init(_ params: Params, context: PluginContext) {
    c = params.c
    feedback = params.learnFrom
    stats = ArmStatistics(arms: context.perAdStateCount)
    stream = RandomStream(key: context.key.child("ucb1"))
    scores = Array(repeating: 0, count: context.candidateCount)
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let k = batch.candidateCount, slots = batch.slotCount, c = self.c
    let hasIDs = !batch.candidateIDs.isEmpty
    var t = stats.totalPulls
    var pulls = stats.pulls
    let means = (0..<stats.arms).map(stats.mean)
    var stream = self.stream
    defer { self.stream = stream }
    if scores.count != k { scores = [Double](repeating: 0, count: k) }
    // With one slot, t grows by exactly one per decision, so the batch's c · ln t are known up front.
    let spreads = slots == 1 ? Self.spreads(c: c, first: t + 1, count: batch.count) : []
    scores.withUnsafeMutableBufferPointer { scores in
      pulls.withUnsafeMutableBufferPointer { pulls in
        means.withUnsafeBufferPointer { means in
          for i in 0..<batch.count {
            t += 1
            // c · ln t once per decision: the score's `c · ln t / n` rounds c · ln t first anyway.
            let spread = slots == 1 ? spreads[i] : c * AdLabMath.log(t)
            if hasIDs {
              for j in 0..<k {
                let a = Int(batch.candidateIDs[i * k + j])
                let n = pulls[a]
                scores[j] = n == 0 ? .infinity : means[a] + (spread / n).squareRoot()
              }
            } else {
              // Candidate j is ad j: a branch-free loop the compiler vectorises.
              for a in 0..<k {
                let n = pulls[a]
                scores[a] = n == 0 ? .infinity : means[a] + (spread / n).squareRoot()
              }
            }
            let base = i * slots
            SlotRanking.fillTop(
              UnsafeBufferPointer(scores), slots: slots, actions, base: base, propensities: propensities,
              stream: &stream)
            // Every filled slot is a virtual pull; t counts pulls, the first of which the `t += 1` above made.
            var filled = 0.0
            for s in 0..<slots where actions[base + s] != DecisionBatch.noAd {
              let j = Int(actions[base + s])
              pulls[hasIDs ? Int(batch.candidateIDs[i * k + j]) : j] += 1
              filled += 1
            }
            if filled > 1 { t += filled - 1 }
          }
        }
      }
    }
  }

  /// `c · ln t` for t = first, first + 1, …: the logarithms in one call on vector lanes (the same bits as the
  /// scalar `AdLabMath.log`, and the counts are exact integers, so the same values as the per-decision form).
  static func spreads(c: Double, first: Double, count: Int) -> [Double] {
    var out = (0..<count).map { first + Double($0) }
    out.withUnsafeMutableBufferPointer { AdLabMath.log(UnsafeBufferPointer($0), into: $0) }
    for i in 0..<count { out[i] = c * out[i] }
    return out
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    stats.record(batch, actions: actions, rewards: rewards, from: feedback)
  }
}
