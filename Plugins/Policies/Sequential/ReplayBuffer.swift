import AdLabTensor

/// A ring buffer of transitions (s, a, r, s′) for DQN: the newest `capacity` are kept, each state as `width`
/// floats in flat arrays, and minibatches are drawn uniformly with replacement from a seeded stream.
struct ReplayBuffer {
  let capacity: Int
  let width: Int
  private(set) var states: [Float]
  private(set) var nextStates: [Float]
  private(set) var actions: [Int32]
  private(set) var rewards: [Float]
  /// Transitions held (at most `capacity`).
  private(set) var count = 0
  private var head = 0

  init(capacity: Int, width: Int) {
    self.capacity = capacity
    self.width = width
    states = [Float](repeating: 0, count: capacity * width)
    nextStates = states
    actions = [Int32](repeating: 0, count: capacity)
    rewards = [Float](repeating: 0, count: capacity)
  }

  /// Stores a transition, overwriting the oldest once full. `state` and `next` hold `width` floats each.
  mutating func append(state: ArraySlice<Float>, action: Int, reward: Double, next: ArraySlice<Float>) {
    let at = head * width
    var j = at
    for x in state {
      states[j] = x
      j += 1
    }
    j = at
    for x in next {
      nextStates[j] = x
      j += 1
    }
    actions[head] = Int32(action)
    rewards[head] = Float(reward)
    head = (head + 1) % capacity
    count = min(count + 1, capacity)
  }

  /// `size` transition indices drawn uniformly with replacement.
  func sample(_ size: Int, stream: inout RandomStream) -> [Int] {
    (0..<size).map { _ in stream.int(below: count) }
  }

  /// The states (or next states) of the given transitions as one `[indices.count, width]` tensor.
  func gather(_ indices: [Int], next: Bool) -> Tensor<Float> {
    var out = [Float](repeating: 0, count: indices.count * width)
    let source = next ? nextStates : states
    for (row, index) in indices.enumerated() {
      for c in 0..<width { out[row * width + c] = source[index * width + c] }
    }
    return Tensor(shape: [indices.count, width], scalars: out)
  }
}
