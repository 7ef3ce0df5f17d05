import AdLabTensor

/// Picks each next token from a logits vector: repetition penalty, then greedy argmax or temperature, top-k and
/// top-p, and one uniform draw from a named Philox stream (`RandomStream`). The same parameters, stream key and
/// logits give the same token on every machine: candidates are ordered by (logit descending, id ascending), a
/// total order, probabilities are summed in that order in `Double`, and `exp` is AdLab's own.
///
/// One sampler per sequence; it keeps its scratch buffers between calls, so a step allocates nothing.
public struct TokenSampler: Sendable {
  public let parameters: SamplingParameters
  private var stream: RandomStream
  private var candidates: [Int32] = []
  private var weights: [Double] = []
  private var penalised: [Int32] = []

  /// A sampler drawing from the stream `key` (derive it from the seed and the sequence's index).
  public init(parameters: SamplingParameters, key: StreamKey) {
    self.parameters = parameters
    self.stream = RandomStream(key: key)
  }

  /// The next token. `logits` is modified in place by the repetition penalty; `history` holds the tokens the
  /// penalty applies to (the prompt and the completion so far).
  public mutating func next(logits: UnsafeMutableBufferPointer<Float>, history: some Sequence<Int32>) -> Int32 {
    if parameters.repetitionPenalty != 1 { applyRepetitionPenalty(logits, history: history) }
    if parameters.isGreedy { return Self.argmax(UnsafeBufferPointer(logits)) }
    selectCandidates(UnsafeBufferPointer(logits))
    let count = computeWeights(UnsafeBufferPointer(logits))
    return draw(count: count)
  }

  /// The index of the highest logit, the lowest index on a tie (NaN never wins).
  public static func argmax(_ logits: UnsafeBufferPointer<Float>) -> Int32 {
    var best = 0
    var bestValue = -Float.infinity
    for index in 0..<logits.count where logits[index] > bestValue {
      best = index
      bestValue = logits[index]
    }
    return Int32(truncatingIfNeeded: best)
  }

  /// Each token of `history` once: a positive logit divided by the penalty, a negative one multiplied.
  private mutating func applyRepetitionPenalty(
    _ logits: UnsafeMutableBufferPointer<Float>, history: some Sequence<Int32>
  ) {
    let penalty = Float(parameters.repetitionPenalty)
    penalised.removeAll(keepingCapacity: true)
    for token in history where logits.indices.contains(Int(token)) { penalised.append(token) }
    penalised.sort()
    var previous: Int32 = -1
    for token in penalised where token != previous {
      previous = token
      let value = logits[Int(token)]
      logits[Int(token)] = value > 0 ? value / penalty : value * penalty
    }
  }

  /// `candidates` := the top-k ids (or all ids) in (logit descending, id ascending) order.
  private mutating func selectCandidates(_ logits: UnsafeBufferPointer<Float>) {
    candidates.removeAll(keepingCapacity: true)
    let ranksBefore = { (a: Int32, b: Int32) -> Bool in
      let (x, y) = (logits[Int(a)], logits[Int(b)])
      return x != y ? x > y : a < b
    }
    let k = parameters.topK
    if k > 0, k < logits.count {
      // Keep the k best in a sorted buffer; most tokens lose to the current k-th at the first comparison.
      for index in 0..<logits.count where logits[index].isFinite || logits[index] == .infinity {
        let id = Int32(truncatingIfNeeded: index)
        if candidates.count == k {
          guard let last = candidates.last, ranksBefore(id, last) else { continue }
          candidates.removeLast()
        }
        var slot = candidates.count
        while slot > 0, ranksBefore(id, candidates[slot - 1]) { slot -= 1 }
        candidates.insert(id, at: slot)
      }
    } else {
      for index in 0..<logits.count where !logits[index].isNaN && logits[index] > -.infinity {
        candidates.append(Int32(truncatingIfNeeded: index))
      }
      // Sorting is only needed to cut a nucleus; without top-p, id order is as deterministic.
      if parameters.topP < 1 { candidates.sort(by: ranksBefore) }
    }
  }

  /// `weights` := unnormalised probabilities of the candidates at the temperature, cut to the top-p nucleus when
  /// asked; returns how many candidates remain.
  private mutating func computeWeights(_ logits: UnsafeBufferPointer<Float>) -> Int {
    weights.removeAll(keepingCapacity: true)
    guard !candidates.isEmpty else { return 0 }
    var maximum = -Double.infinity
    for id in candidates { maximum = max(maximum, Double(logits[Int(id)])) }
    let inverseTemperature = 1 / parameters.temperature
    var total = 0.0
    for id in candidates {
      let weight = AdLabMath.exp((Double(logits[Int(id)]) - maximum) * inverseTemperature)
      weights.append(weight)
      total += weight
    }
    guard parameters.topP < 1 else { return candidates.count }
    // Candidates are sorted here: keep the shortest prefix whose mass reaches top-p (at least one token).
    let threshold = parameters.topP * total
    var cumulative = 0.0
    for index in weights.indices {
      cumulative += weights[index]
      if cumulative >= threshold { return index + 1 }
    }
    return weights.count
  }

  /// One uniform draw against the cumulative weights of the first `count` candidates.
  private mutating func draw(count: Int) -> Int32 {
    guard count > 0 else { return 0 }
    var total = 0.0
    for index in 0..<count { total += weights[index] }
    let target = stream.uniform() * total
    var cumulative = 0.0
    for index in 0..<count {
      cumulative += weights[index]
      if target < cumulative { return candidates[index] }
    }
    return candidates[count - 1]
  }
}
