import AdLabCore
import AdLabTensor

/// Explore-then-commit: shows uniformly random ads for the first `explore` decisions, then always the ad with the
/// best observed click rate. The textbook baseline that adaptive policies (UCB1, Thompson sampling) should beat
/// when the market changes after the commitment.
///
/// With S slots it fills min(K, S) slots with distinct ads: a uniformly random ordering while exploring (every ad
/// lands in every slot with probability 1/K, the position-wise propensity it reports) and the ranking by observed
/// rate once committed (propensity 1, ties broken by the lower candidate index).
public final class ExploreThenCommitPolicy: Policy {
  public struct Params: PluginParameters {
    public var explore = 2_000

    public init() {}

    public static var fields: [ParameterField<Params>] {
      [
        .init(
          "explore", \.explore, doc: "decisions with uniformly random ads before committing", .range(0...1_000_000_000))
      ]
    }
  }

  private let explore: Int
  private var stream: RandomStream
  private var shows: [Double]
  private var clicks: [Double]
  private var decided = 0

  public init(_ params: Params, context: PluginContext) {
    explore = params.explore
    stream = RandomStream(key: context.key.child("explore-then-commit"))
    shows = Array(repeating: 0, count: context.adCount)
    clicks = Array(repeating: 0, count: context.adCount)
  }

  public func choose(
    _ batch: DecisionBatch, actions: UnsafeMutableBufferPointer<Int32>,
    propensities: UnsafeMutableBufferPointer<Double>?
  ) {
    let k = batch.candidateCount, slots = batch.slotCount, filled = min(k, slots)
    for i in 0..<batch.count {
      let ranking = decided + i < explore ? randomOrder(k) : committedOrder(batch, decision: i)
      let p = decided + i < explore ? 1 / Double(k) : 1
      for s in 0..<slots {
        actions[i * slots + s] = s < filled ? Int32(ranking[s]) : DecisionBatch.noAd
        propensities?[i * slots + s] = s < filled ? p : 1  // an empty slot is certain
      }
    }
    decided += batch.count
  }

  public func update(_ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>)
  {
    for index in 0..<batch.actionCount where actions[index] != DecisionBatch.noAd {
      let ad = adID(batch, decision: index / batch.slotCount, candidate: Int(actions[index]))
      shows[ad] += 1
      clicks[ad] += rewards[index]
    }
  }

  /// A uniformly random permutation of 0..<k (Fisher–Yates on AdLab's seeded stream).
  private func randomOrder(_ k: Int) -> [Int] {
    var order = Array(0..<k)
    for j in stride(from: k - 1, to: 0, by: -1) { order.swapAt(j, stream.int(below: j + 1)) }
    return order
  }

  /// Candidates by observed click rate, best first (unshown ads rank first, so each is tried at least once).
  private func committedOrder(_ batch: DecisionBatch, decision: Int) -> [Int] {
    func score(_ c: Int) -> Double {
      let ad = adID(batch, decision: decision, candidate: c)
      return shows[ad] == 0 ? .infinity : clicks[ad] / shows[ad]
    }
    return (0..<batch.candidateCount).sorted { a, b in
      let (sa, sb) = (score(a), score(b))
      return sa != sb ? sa > sb : a < b
    }
  }

  private func adID(_ batch: DecisionBatch, decision: Int, candidate: Int) -> Int {
    batch.candidateIDs.isEmpty ? candidate : Int(batch.candidateIDs[decision * batch.candidateCount + candidate])
  }
}
