/// Per-ad counts and reward sums, the state every context-free bandit learns.
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

  mutating func record(actions: UnsafeBufferPointer<Int32>, rewards: UnsafeBufferPointer<Double>) {
    for i in 0..<actions.count {
      let arm = Int(actions[i])
      pulls[arm] += 1
      rewardSums[arm] += rewards[i]
    }
  }
}

/// Indices whose score equals the maximum (ties are broken at random by the caller, so no ad is favoured by its index).
func maximizers(of scores: [Double]) -> [Int] {
  var best = -Double.infinity
  var indices: [Int] = []
  for (i, score) in scores.enumerated() {
    if score > best {
      best = score
      indices.removeAll(keepingCapacity: true)
      indices.append(i)
    } else if score == best {
      indices.append(i)
    }
  }
  return indices.isEmpty ? Array(scores.indices) : indices
}
