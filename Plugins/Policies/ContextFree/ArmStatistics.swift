import AdLabCore
import AdLabTensor

/// Per-ad counts and reward sums, the state every context-free bandit learns: indexed by ad id when the batch
/// has candidate ids, else by candidate index.
struct ArmStatistics {
  var pulls: [Double]
  var rewardSums: [Double]

  init(arms: Int) {
    pulls = Array(repeating: 0, count: arms)
    rewardSums = pulls
  }

  var arms: Int { pulls.count }
  var totalPulls: Double { pulls.reduce(0, +) }

  func mean(_ arm: Int) -> Double { pulls[arm] > 0 ? rewardSums[arm] / pulls[arm] : 0 }

  /// Credits each filled slot's reward to its ad (see `SlotFeedback` for which slots count).
  mutating func record(
    _ batch: DecisionBatch, actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>,
    from feedback: SlotFeedback
  ) {
    feedback.forEachShown(batch, actions: actions, rewards: rewards) { _, _, ad, _, reward in
      pulls[ad] += 1
      rewardSums[ad] += reward
    }
  }
}

/// The index of the largest score, ties broken uniformly at random (so no ad is favoured by its index),
/// and how many indices tied. Allocation-free: it runs once per decision.
@inline(__always)
func argmaxBreakingTies(_ scores: UnsafeBufferPointer<Double>, stream: inout RandomStream) -> (index: Int, ties: Int) {
  var best = 0, ties = 1
  var top = scores[0]
  for i in 1..<scores.count {
    let score = scores[i]
    if score > top {
      top = score
      best = i
      ties = 1
    } else if score == top {
      // Reservoir sampling over the tied indices: each ends up chosen with probability 1 / ties.
      ties += 1
      if stream.int(below: ties) == 0 { best = i }
    }
  }
  return (best, ties)
}
