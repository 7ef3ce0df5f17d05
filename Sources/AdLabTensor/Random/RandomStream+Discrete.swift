/// Discrete draws: weighted choice, permutations and subsets. All algorithms are AdLab's own, so that a seed keeps
/// giving the same choices when the standard library changes its `shuffle`.
extension RandomStream {
  /// An index drawn with probability `weights[i] / sum(weights)`.
  ///
  /// One `uniform()`, scaled by the total, is located by a linear scan of the running sums (left to right). Indices
  /// with weight 0 are never returned. O(n) per draw; for many draws from fixed weights build an `AliasTable`.
  ///
  /// - Precondition: `weights` is non-empty, every weight is finite and >= 0, and the sum is positive and finite.
  public mutating func categorical(_ weights: [Double]) -> Int {
    precondition(!weights.isEmpty, "RandomStream.categorical: weights must not be empty")
    var total = 0.0
    for (index, weight) in weights.enumerated() {
      precondition(
        weight >= 0 && weight.isFinite,
        "RandomStream.categorical: weights[\(index)] must be finite and >= 0, got \(weight)")
      total += weight
    }
    precondition(total > 0 && total.isFinite, "RandomStream.categorical: weights must have a positive finite sum")
    let target = uniform() * total
    var cumulative = 0.0
    var lastPositive = 0
    for (index, weight) in weights.enumerated() where weight > 0 {
      cumulative += weight
      if target < cumulative { return index }
      lastPositive = index
    }
    // `uniform() * total` can round up to `total` itself; the last positive weight owns that point.
    return lastPositive
  }

  /// Shuffles `array` in place with Durstenfeld's Fisher–Yates: for `i` from `count − 1` down to 1, swap
  /// positions `i` and `int(below: i + 1)`. Each of the `n!` orders has the same probability.
  ///
  /// - Complexity: O(n), `n − 1` draws.
  @inlinable
  public mutating func shuffle<T>(_ array: inout [T]) {
    var i = array.count &- 1
    while i > 0 {
      let j = int(below: i &+ 1)
      if j != i { array.swapAt(i, j) }
      i &-= 1
    }
  }

  /// `k` distinct integers from `0..<n`, each `k`-subset equally likely.
  ///
  /// **Order:** the result is in order of selection, which is itself uniformly random (every ordered `k`-tuple of
  /// distinct values is equally likely); sort it if you need a canonical order. The draws are exactly those of a
  /// partial Fisher–Yates shuffle of `[0, 1, ..., n − 1]`: for `i` in `0..<k`, swap position `i` with
  /// `i + int(below: n − i)`, and return the first `k` positions. Small `n` runs it on an array; large `n` with
  /// small `k` keeps only the displaced positions in a dictionary. Both give identical results, so the choice
  /// between them (a speed matter) never changes an outcome.
  ///
  /// - Precondition: `0 <= k <= n`.
  /// - Complexity: O(k) draws; O(n) memory when `n <= max(4096, 8k)`, O(k) otherwise.
  public mutating func sampleWithoutReplacement(_ k: Int, from n: Int) -> [Int] {
    precondition(
      n >= 0 && k >= 0 && k <= n,
      "RandomStream.sampleWithoutReplacement: need 0 <= k <= n, got k = \(k), n = \(n)")
    if k == 0 { return [] }
    if n <= 4096 || n / 8 <= k {
      return partialShuffleDense(k, from: n)
    }
    return partialShuffleSparse(k, from: n)
  }

  // MARK: - Implementation details

  mutating func partialShuffleDense(_ k: Int, from n: Int) -> [Int] {
    var pool = Array(0..<n)
    for i in 0..<k {
      let j = i &+ int(below: n &- i)
      pool.swapAt(i, j)
    }
    pool.removeSubrange(k...)
    return pool
  }

  /// The same partial shuffle on a virtual array: `displaced[p]` is the value at position `p` when it is not `p`.
  mutating func partialShuffleSparse(_ k: Int, from n: Int) -> [Int] {
    var displaced: [Int: Int] = [:]
    displaced.reserveCapacity(k)
    var result: [Int] = []
    result.reserveCapacity(k)
    for i in 0..<k {
      let j = i &+ int(below: n &- i)
      let valueAtJ = displaced[j] ?? j
      // Position i is never read again (later steps use positions > i), so only position j is updated.
      displaced[j] = displaced[i] ?? i
      result.append(valueAtJ)
    }
    return result
  }
}
