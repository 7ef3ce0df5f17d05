/// Myopic regret per page view against the best filling of its slots.
enum SlotRegret {
  /// Per decision: the best expected reward any filling of its slots could earn, minus the expected reward of the
  /// chosen filling (myopic: per page view, against the market as the policy saw it). Leaving every slot empty is
  /// always allowed, so the best is never below zero.
  ///
  /// The best filling is exact: it only ever puts in slot s one of that slot's `slots` best candidates with a
  /// positive expected reward (any other candidate could be swapped for an unused one of those, at no loss), so a
  /// search over (slots + 1)^slots fillings, pruned by distinctness, suffices. Slot effects need not be separable
  /// (in `ecommerce`, each slot has its own auction).
  static func perDecision(_ expected: [Double], actions: [Int32], candidates: Int, slots: Int) -> [Double] {
    let decisions = actions.count / slots
    let shortlist = min(slots, candidates)
    var options = [Int](repeating: -1, count: slots * shortlist)  // per slot: best candidates, -1 padded
    var chosen = [Int](repeating: -1, count: slots)
    return expected.withUnsafeBufferPointer { e in
      (0..<decisions).map { i in
        var chosenValue = 0.0
        for s in 0..<slots {
          let a = actions[i * slots + s]
          if a != DecisionBatch.noAd { chosenValue += e[(i * slots + s) * candidates + Int(a)] }
        }
        if slots == 1 {
          var best = 0.0
          for k in 0..<candidates where e[i * candidates + k] > best { best = e[i * candidates + k] }
          return best - chosenValue
        }
        for s in 0..<slots {
          let row = (i * slots + s) * candidates
          for j in 0..<shortlist { options[s * shortlist + j] = -1 }
          for k in 0..<candidates where e[row + k] > 0 {
            // Insertion into the slot's descending shortlist; ties keep the lower index first.
            var j = shortlist - 1
            guard options[s * shortlist + j] < 0 || e[row + k] > e[row + options[s * shortlist + j]] else { continue }
            while j > 0, options[s * shortlist + j - 1] < 0 || e[row + k] > e[row + options[s * shortlist + j - 1]] {
              options[s * shortlist + j] = options[s * shortlist + j - 1]
              j -= 1
            }
            options[s * shortlist + j] = k
          }
        }
        func search(_ s: Int) -> Double {
          guard s < slots else { return 0 }
          var best = search(s + 1)  // slot s empty
          let row = (i * slots + s) * candidates
          for j in 0..<shortlist {
            let k = options[s * shortlist + j]
            guard k >= 0 else { break }
            if chosen[0..<s].contains(k) { continue }
            chosen[s] = k
            best = max(best, e[row + k] + search(s + 1))
            chosen[s] = -1
          }
          return best
        }
        return search(0) - chosenValue
      }
    }
  }
}
